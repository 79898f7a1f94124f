import Foundation
import Testing

/// `rw`'s help: every command explains itself, and every option says what it does.
@Suite(.timeLimit(.minutes(5)))
struct HelpTests {
    @Test(arguments: [
        (["--help"], ["new", "dev", "build", "preview", "rw new my-app"]),
        (["help", "new"], ["<name>", "--path", "--sdk-path", "--sdk-url", "UpperCamelCase", ".gitignore", "Dockerfile"]),
        (["help", "dev"], ["--package-path", "--target", "--host", "--port", "--verbose", "/_rw/state"]),
        (["help", "build"], ["--package-path", "--product", "--scratch-path", "RW_SCRATCH_PATH", "release", "--static-swift-stdlib", "ldd"]),
        (["--version"], ["RwSDK 0.1.0", "toolchain: Swift version ", "RwSDK sources: \(Paths.root.path)"]),
        (["help", "preview"], ["--package-path", "--product", "--scratch-path", "--host", "--port", "rw build"]),
        (["new", "--help"], ["--sdk-path"])
    ])
    func helpExitsZeroAndNamesTheKeyOptions(arguments: [String], mentions: [String]) async throws {
        let run = try await CapturedRun.rw(arguments)
        #expect(run.status == 0, "\(run)")
        for text in mentions {
            #expect(run.output.contains(text), "`rw \(arguments.joined(separator: " "))` should mention \(text)")
        }
    }

    /// Reads the whole command tree from `--experimental-dump-help` (swift-argument-parser's
    /// machine-readable help), so no command or option can be left without text.
    @Test func everyCommandHasAnAbstractAndADiscussionAndEveryOptionHasHelp() async throws {
        let run = try await CapturedRun.rw(["--experimental-dump-help"])
        try #require(run.status == 0, "\(run)")
        struct ToolInfo: Decodable { let command: Command }
        struct Command: Decodable {
            let commandName: String
            let abstract: String?
            let discussion: String?
            let arguments: [Argument]?
            let subcommands: [Command]?
        }
        struct Argument: Decodable {
            struct Name: Decodable { let name: String }
            let names: [Name]?
            let valueName: String?
            let abstract: String?
            let shouldDisplay: Bool
        }
        let tool = try JSONDecoder().decode(ToolInfo.self, from: Data(run.output.utf8))
        var commands: [String] = []
        func check(_ command: Command, path: String) {
            // `help` is swift-argument-parser's own.
            guard command.commandName != "help" else { return }
            commands.append(path)
            #expect(command.abstract?.isEmpty == false, "\(path) has no abstract")
            #expect(command.discussion?.isEmpty == false, "\(path) has no discussion")
            for argument in command.arguments ?? [] where argument.shouldDisplay {
                let name = argument.names?.first?.name ?? argument.valueName ?? "?"
                #expect(argument.abstract?.isEmpty == false, "\(path) \(name) has no help")
            }
            for subcommand in command.subcommands ?? [] {
                check(subcommand, path: path + " " + subcommand.commandName)
            }
        }
        check(tool.command, path: "rw")
        #expect(Set(commands).isSuperset(of: ["rw", "rw new", "rw dev", "rw build", "rw preview"]), "\(commands)")
    }
}
