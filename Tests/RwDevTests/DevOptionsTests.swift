import RwServer
import Testing

@testable import RwDev

@Suite(.timeLimit(.minutes(5))) struct DevOptionsTests {
    /// An upload that `rw dev` accepts is one production accepts too.
    @Test func theDevBodyLimitIsProductions() throws {
        let production = try ServeOptions.parse([])
        #expect(DevOptions().maxBodySize == production.maxBodySize)
        #expect(production.maxBodySize == ServeOptions.defaultMaxBodySize)
    }

    /// Idle connections are closed after the same time in development as in production.
    @Test func theDevIdleTimeoutIsProductions() throws {
        #expect(DevOptions().idleTimeout == (try ServeOptions.parse([])).idleTimeout)
    }
}
