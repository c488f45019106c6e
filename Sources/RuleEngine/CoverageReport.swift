import LuaHost

/// Which lines of each rule file ran, against the lines that can run (`cmrg test --coverage`).
public struct CoverageReport: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var path: String
        /// Lines holding code, ascending.
        public var runnable: [Int]
        /// Runnable lines that never ran, ascending.
        public var uncovered: [Int]
        public var covered: Int { runnable.count - uncovered.count }
        public var percent: Double { runnable.isEmpty ? 100 : Double(covered) * 100 / Double(runnable.count) }
        /// "12, 15-17, 40": uncovered lines, a run of them written as a range when no runnable
        /// line between them was covered.
        public var uncoveredRanges: String { CoverageReport.ranges(uncovered, within: runnable) }
    }

    public var files: [File]
    public var runnable: Int { files.reduce(0) { $0 + $1.runnable.count } }
    public var covered: Int { files.reduce(0) { $0 + $1.covered } }
    public var percent: Double { runnable == 0 ? 100 : Double(covered) * 100 / Double(runnable) }

    public init(files: [File]) { self.files = files }

    /// `ran`: lines that ran, by chunk name (the rule file paths).
    public init(pack: RulePack, ran: [String: Set<Int>]) throws(RuleError) {
        files = []
        for file in pack.files {
            let runnable: [Int]
            do {
                runnable = try LuaChunkInfo.activeLines(source: file.text, chunkName: file.path)
            } catch {
                throw RuleError(error, kind: .load)
            }
            let hit = ran[file.path] ?? []
            files.append(File(path: file.path, runnable: runnable, uncovered: runnable.filter { !hit.contains($0) }))
        }
    }


    /// Runs of `lines` that are consecutive within `runnable` ("15-17" even when line 16 is a
    /// comment).
    public static func ranges(_ lines: [Int], within runnable: [Int]) -> String {
        let position = Dictionary(uniqueKeysWithValues: runnable.enumerated().map { ($1, $0) })
        var parts: [String] = []
        var i = 0
        while i < lines.count {
            var j = i
            while j + 1 < lines.count, let a = position[lines[j]], let b = position[lines[j + 1]], b == a + 1 { j += 1 }
            parts.append(i == j ? String(lines[i]) : "\(lines[i])-\(lines[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
