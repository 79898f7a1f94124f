import Foundation
import Testing

@testable import RwDev

/// Telling a build that failed for want of disk space from other failures.
@Suite struct DiskFullTests {
    @Test func outOfSpaceErrorsAreRecognizedByTheirCodeNotTheirText() {
        #expect(DiskFull.isOutOfSpace(POSIXError(.ENOSPC)))
        #expect(DiskFull.isOutOfSpace(CocoaError(.fileWriteOutOfSpace)))
        let wrapped = NSError(
            domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue, userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOSPC)])
        #expect(DiskFull.isOutOfSpace(wrapped), "an ENOSPC under a Foundation error")
        #expect(!DiskFull.isOutOfSpace(POSIXError(.EACCES)))
        #expect(!DiskFull.isOutOfSpace(CocoaError(.fileWriteNoPermission)))
        #expect(!DiskFull.isOutOfSpace(RwError("No space left on device")), "an error's text is not its code")
    }

    @Test func aToolsOutputReportsOutOfSpaceByStrerrorsText() {
        // What swiftc prints when the objects' folder is full.
        #expect(DiskFull.reportsOutOfSpace("<unknown>:0: error: error closing 'objects/App.o' for output: No space left on device"))
        #expect(!DiskFull.reportsOutOfSpace("App.swift:3:5: error: cannot find 'x' in scope"))
    }

    @Test func roomIsReadFromTheFileSystem() throws {
        let folder = FileManager.default.temporaryDirectory
        #expect(DiskFull(folder: folder, bytesNeeded: 1).hasRoom)
        #expect(!DiskFull(folder: folder, bytesNeeded: Int64.max / 2).hasRoom, "no file system has 4 EiB free")
        #expect(DiskFull(folder: URL(fileURLWithPath: "/no/such/folder"), bytesNeeded: Int64.max / 2).hasRoom, "unknown is not full")
    }

    @Test func theMessageIsOneLineNamingTheFolder() {
        let message = DiskFull(folder: URL(fileURLWithPath: "/app/.rw/gen"), bytesNeeded: 1).message
        #expect(message.hasPrefix("no space left on device: rw dev could not write to /app/.rw/gen."))
        #expect(!message.contains("\n"))
    }

    @Test func leftoversOfAFailedWriteAreRemovedAndNothingElse() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-disk-full-\(UUID().uuidString)")
        let objects = folder.appendingPathComponent("objects")
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["libApp-2.so", "libApp-2.so.tmp1a2b3c", "libApp-1.so"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        for name in ["App-1234.o.tmp", "App-1234.o"] {
            try Data().write(to: objects.appendingPathComponent(name))
        }
        DiskFull.removeLeftovers(of: folder.appendingPathComponent("libApp-2.so"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["libApp-1.so", "objects"])
        DiskFull.removeTemporaryFiles(under: folder)
        #expect(try FileManager.default.contentsOfDirectory(atPath: objects.path) == ["App-1234.o"])
    }
}
