import Foundation
import TestSupport
import Portfolio

enum Files {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// Real OCDS data, copied into the repository from the team's shared data (see samples/ocds/README.md).
    static let sharedData = repoRoot.appendingPathComponent("samples")

    static func sample(_ name: String) -> String { repoRoot.appendingPathComponent("samples/\(name)").path }
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func ocds(_ name: String) -> String { sharedData.appendingPathComponent("ocds/\(name)").path }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let dir = try Scratch.directory("portfolio")
        return dir
    }

    /// Writes `bytes` to a temporary file called `name` and returns its path.
    static func write(_ bytes: [UInt8], named name: String = "portfolio.csv") throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func write(_ text: String, named name: String = "portfolio.csv") throws -> String {
        try write(Array(text.utf8), named: name)
    }
}

/// The error a load throws, or nil if it loads.
func loadError(_ path: String, _ options: LoadOptions = LoadOptions()) -> PortfolioError? {
    do {
        _ = try PortfolioReader.open(path: path, options: options).readAll()
        return nil
    } catch {
        return error
    }
}

func load(_ path: String, _ options: LoadOptions = LoadOptions()) throws -> [Contract] {
    try PortfolioReader.open(path: path, options: options).readAll()
}
