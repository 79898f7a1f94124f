/// A failure of an `rw` command or of the dev server, explained to the user in one line (or a
/// block of build output); `rw` prints the description and exits with status 1.
package struct RwError: Error, CustomStringConvertible {
    package let description: String
    /// Creates the error.
    package init(_ description: String) { self.description = description }
}
