import Foundation

/// The RwSDK sources this `rw` comes from: the package `rw new` makes an app depend on by default.
///
/// An installed `rw` (see `scripts/install`) finds them in `<prefix>/share/rwsdk`, next to its
/// `<prefix>/bin`, where the install script copies the package's manifest and sources; the
/// checkout it was built from may then move or go. An `rw` run from an RwSDK checkout's `.build`
/// (`swift run rw`, `.build/debug/rw`) uses that checkout. Nothing is compiled into the binary.
enum SDKSources {
    /// Where an installed `rw` keeps the sources, relative to the folder holding the executable.
    static let installedRelativePath = "../share/rwsdk"

    /// The folder holding the RwSDK package this `rw` comes from, or `nil` when it has none (a
    /// copied executable without the installed sources).
    static func locate(executable: URL = RwInvocation.executable) -> URL? {
        let installed = executable.deletingLastPathComponent().appendingPathComponent(installedRelativePath).standardizedFileURL
        if RwInvocation.isRwSDKCheckout(installed) { return installed }
        return RwInvocation.buildCheckout(of: executable)
    }
}
