import Foundation
import TestSupport
import Portfolio

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func day(_ iso: String) -> ContractDate { ContractDate(iso: iso)! }

func temporaryDirectory() throws -> URL {
    let dir = try Scratch.directory("history")
    return dir
}
