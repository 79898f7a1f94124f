import RwServer
import Testing

/// Server settings from environment variables under the command line's flags.
@Suite(.timeLimit(.minutes(10))) struct ServeOptionsTests {
    @Test func variablesSetOptionsAndFlagsWin() throws {
        let environment = ["RW_HOST": "0.0.0.0", "RW_PORT": "9000", "RW_PUBLIC": "static", "RW_MAX_BODY_SIZE": "1024", "RW_IDLE_TIMEOUT": "5"]
        let fromEnvironment = try ServeOptions.parse([], environment: environment)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9000)
        #expect(fromEnvironment.publicDirectory == "static")
        #expect(fromEnvironment.maxBodySize == 1024)
        #expect(fromEnvironment.idleTimeout == 5)
        let flagged = try ServeOptions.parse(["--port", "9001", "--max-body-size", "2048"], environment: environment)
        #expect(flagged.port == 9001)
        #expect(flagged.maxBodySize == 2048)
        #expect(flagged.host == "0.0.0.0", "a variable without a flag still counts")
        let defaults = try ServeOptions.parse([], environment: ["UNRELATED": "1"])
        #expect(defaults.port == 8080 && defaults.maxBodySize == ServeOptions.defaultMaxBodySize)
        #expect(defaults.idleTimeout == ServeOptions.defaultIdleTimeout)
    }

    @Test func anInvalidVariableIsAClearErrorNamingIt() {
        do {
            _ = try ServeOptions.parse([], environment: ["RW_PORT": "eighty"])
            Issue.record("RW_PORT=eighty was accepted")
        } catch {
            let message = ServeOptions.message(for: error)
            #expect(message.contains("RW_PORT=eighty"), "\(message)")
            #expect(message.contains("--port"))
        }
    }
}
