import Foundation
import Testing

/// What a developer sees of `rw dev` in headless Chromium: the error overlay for a compile error
/// and for a runner crash, and the state inspector. Screenshots go to `test-output/dev/`.
extension DevServerTests {
    static let screenshots = Paths.root.appendingPathComponent("test-output/dev")

    @Test func overlayShowsCompileErrorsAndCrashesAndTheInspectorIsReadable() async throws {
        let dev = try await DevServerProcess.start()
        do {
            try await Browser.session { browser in
                try await browser.open(dev.address + "/page")
                try await browser.waitUntil("window.rwLiveReload?.session")

                // A compile error: the overlay names file:line:column and shows the source line.
                try DevFixture.edit { $0 + "\nlet broken: Int = \"not a number\"\n" }
                try #require(try await browser.waitUntil(#"document.getElementById("rw-error-overlay")"#))
                let overlay = try await browser.text("#rw-error-overlay") ?? ""
                #expect(overlay.contains("Build failed"))
                #expect(overlay.contains("App.swift:"), "file:line:column in \(overlay)")
                #expect(overlay.contains("cannot convert value of type"))
                #expect(overlay.contains(#"let broken: Int = "not a number""#), "the source excerpt in \(overlay)")
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("overlay-compile-error.png"))

                // Dismissible.
                try await browser.click(#"#rw-error-overlay button[title="Dismiss"]"#)
                #expect(try await browser.run(#"return String(document.getElementById("rw-error-overlay") === null);"#) == "true")

                // Another compile error brings the overlay back over the unchanged page; the fix
                // clears it and updates the page in place (it does not navigate).
                try DevFixture.edit { $0 + "\nlet alsoBroken = undefinedThing\n" }
                try #require(try await browser.waitUntil(#"document.getElementById("rw-error-overlay")?.textContent.includes("undefinedThing")"#))
                try await browser.run("window.rwBeforeFix = true;")
                #expect(try await browser.text("p") == "marker=v0", "the page under the overlay is as it was")
                try DevFixture.setMarker("fixed")
                #expect(try await browser.waitUntil(#"document.body?.textContent.includes("marker=fixed")"#))
                #expect(try await browser.run("return String(window.rwBeforeFix === true);") == "true", "the page was updated in place")
                #expect(
                    try await browser.run(#"return String(document.getElementById("rw-error-overlay") === null);"#) == "true",
                    "the compile error's overlay is gone after the good build")

                // A runner crash: the overlay shows the crash report; once the runner is back the
                // page reloads fully (its state is lost), and says why.
                try await browser.run("window.rwBeforeCrash = true;")
                let trap = try await dev.http.send("GET", "/trap")
                #expect(trap.status == 500)
                try #require(
                    try await browser.waitUntil(
                        #"window.rwBeforeCrash === undefined && window.rwLiveReload?.session && document.getElementById("rw-error-overlay")"#,
                        timeout: .seconds(120)))
                #expect(
                    try await browser.run(#"return sessionStorage.getItem("rw-dev-reload-reason");"#)?.contains("the runner restarted after a crash") == true,
                    "the reload says why")
                let crash = try await browser.text("#rw-error-overlay") ?? ""
                #expect(crash.contains("The runner crashed"))
                #expect(crash.contains("trap requested by the test"), "the trap message in \(crash)")
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("overlay-crash.png"))

                // The state inspector: the registry's keys (defined again by the first request
                // after the restart) and the generation history.
                try await dev.waitFor("/counter") { $0.hasSuffix("kept=1 global=1") }
                try await browser.open(dev.address + "/_rw/state")
                let inspector = try await browser.run("return document.body.innerText;") ?? ""
                #expect(inspector.contains("requestInfoStore"))
                #expect(inspector.contains("buildFailed") && inspector.contains("runnerRestarted"), "the history shows the failed build and the crash")
                #expect(try await browser.run("return String(document.querySelectorAll('table').length);").flatMap { Int($0) } ?? 0 >= 2)
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("inspector.png"))
            }
        } catch {
            Issue.record(error)
        }
        await dev.stop()
    }
}
