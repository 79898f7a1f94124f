import Testing

@testable import RwData

@Suite(.timeLimit(.minutes(10))) struct SQLTests {
    @Test func interpolatedValuesAreBoundNeverPasted() {
        let name = "Robert'); DROP TABLE students;--"
        let limit = 10
        let sql: SQL = "SELECT * FROM students WHERE name = \(name) LIMIT \(limit)"
        #expect(sql.text(for: .sqlite) == "SELECT * FROM students WHERE name = ? LIMIT ?")
        #expect(sql.text(for: .postgres) == "SELECT * FROM students WHERE name = $1 LIMIT $2")
        #expect(sql.bindings == [.text(name), .integer(10)])
    }

    @Test func fragmentsKeepTheirValuesBoundAndNumberedInOrder() {
        let author = "ann"
        let filter: SQL = "author = \(author)"
        let sql: SQL = "SELECT id FROM messages WHERE \(filter) AND id > \(3)"
        #expect(sql.text(for: .postgres) == "SELECT id FROM messages WHERE author = $1 AND id > $2")
        #expect(sql.bindings == [.text("ann"), .integer(3)])
    }

    @Test func inListsBindEachValueAndAnEmptyListMatchesNothing() {
        let ids = [4, 8, 15]
        let sql: SQL = "SELECT id FROM messages WHERE author = \("ann") AND id IN \(list: ids)"
        #expect(sql.text(for: .postgres) == "SELECT id FROM messages WHERE author = $1 AND id IN ($2, $3, $4)")
        #expect(sql.text(for: .sqlite) == "SELECT id FROM messages WHERE author = ? AND id IN (?, ?, ?)")
        #expect(sql.bindings == [.text("ann"), .integer(4), .integer(8), .integer(15)])
        let hostile = ["x') OR 1=1 --"]
        #expect(SQL("body IN \(list: hostile)").bindings == [.text("x') OR 1=1 --")])
        let empty: SQL = "id IN \(list: [Int]())"
        #expect(empty.text(for: .postgres) == "id IN (NULL)")
        #expect(empty.bindings.isEmpty)
    }

    @Test func portableColumnTypesAreSpelledForEachDialectAndBindNothing() {
        let sql: SQL = "CREATE TABLE t (id \(type: .autoIncrementKey), n \(type: .integer) NOT NULL, x \(type: .double), b \(type: .bytes), s \(type: .text))"
        #expect(sql.text(for: .sqlite) == "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, x REAL, b BLOB, s TEXT)")
        #expect(sql.text(for: .postgres) == "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, x DOUBLE PRECISION, b BYTEA, s TEXT)")
        #expect(sql.bindings.isEmpty)
    }

    @Test func unsafeRawTextIsPastedAndSaysSo() {
        let table = "messages"
        let sql: SQL = "SELECT count(*) FROM \(unsafeRaw: table) WHERE body = \(Optional<String>.none)"
        #expect(sql.text(for: .sqlite) == "SELECT count(*) FROM messages WHERE body = ?")
        #expect(sql.bindings == [.null])
        #expect(SQL(unsafeRaw: "SELECT 1").bindings.isEmpty)
    }

    @Test func rowsDecodeByColumnNameWithTypedErrors() throws {
        let row = Row(columns: ["id", "body", "note"], values: [.integer(7), .text("hi"), .null])
        #expect(try row.decode("id", as: Int.self) == 7)
        #expect(try row.decode("body", as: String.self) == "hi")
        #expect(try row.decode("note", as: String?.self) == nil)
        #expect(throws: DatabaseError.self) { try row.decode("body", as: Int.self) }
        #expect(throws: DatabaseError.self) { try row.decode("missing", as: Int.self) }
    }
}
