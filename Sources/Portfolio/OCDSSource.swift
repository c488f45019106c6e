import Foundation

/// Loads OCDS 1.1 JSON: a release package (`releases`), a record package (`records`, each read
/// from its `compiledRelease`, else its latest embedded release), a single release, an array
/// of releases, or JSON Lines (one release or package per line). When several releases share
/// an `ocid`, the one with the latest `date` is the contract (later in the file on a tie);
/// the others are noticed as superseded.
///
/// A package is one JSON document and is parsed whole; JSON Lines are streamed twice, line by
/// line: once to find each ocid's latest release, once to map the winners.
final class OCDSSource: ContractSource {
    let format = PortfolioFormat.ocds
    let extraColumns = OCDSMapping.extraColumns
    let idColumn = 0
    private(set) var notices: [InputIssue] = []
    private let path: String

    /// One release found in the input: where it is and which of its ocid's releases wins.
    private struct Candidate {
        var line: Int
        var ocid: String?
        var instant: Int?
        var date: String?
    }

    private enum Mode {
        case document(releases: [(release: [String: Any], line: Int)], next: Int)
        case lines(LineReader, pending: [(release: [String: Any], line: Int)])
    }

    private var mode: Mode
    /// Per ocid: the index (in input order) of the release that wins.
    private var winners: [String: (order: Int, candidate: Candidate)] = [:]
    private var order = 0

    init(path: String) throws(PortfolioError) {
        self.path = path
        let lower = path.lowercased()
        var isLines = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")
        if !isLines, !lower.hasSuffix(".json") { isLines = try OCDSSource.looksLikeJSONLines(path: path) }
        if isLines {
            mode = .lines(LineReader(file: try ChunkedFile(path: path)), pending: [])
            // First pass: which release of each ocid wins.
            let reader = LineReader(file: try ChunkedFile(path: path))
            while let line = try reader.nextLine() {
                guard let object = OCDSSource.parse(line) else { continue }
                for release in OCDSSource.releases(in: object) { consider(release, line: reader.lineNumber) }
            }
        } else {
            let data = try OCDSSource.readWhole(path: path)
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: data)
            } catch {
                throw .fatal(InputIssue(path, 1, 0, "not valid JSON (\(OCDSSource.reason(error)))"), "unreadable OCDS document")
            }
            let key = (object as? [String: Any])?["records"] != nil ? "records" : "releases"
            var elementLines = data.withUnsafeBytes { JSONElementLines.lines(in: $0, key: key) }
            let releases = OCDSSource.releases(in: object)
            if elementLines.count != releases.count { elementLines = Array(repeating: 1, count: releases.count) }
            let located = zip(releases, elementLines).map { (release: $0, line: $1) }
            if located.isEmpty {
                throw .fatal(InputIssue(path, 1, 0, "no releases or records found (expected an OCDS release or record package)"),
                             "not an OCDS document")
            }
            mode = .document(releases: located, next: 0)
            for entry in located { consider(entry.release, line: entry.line) }
        }
        order = 0
    }

    func next() throws(PortfolioError) -> SourceRow? {
        while true {
            guard let (release, line) = try nextRelease() else { return nil }
            if case .invalid = release { return release.row(path: path, line: line) }
            guard case .found(let object) = release else { continue }
            let index = order
            order += 1
            if let ocid = OCDSMapping.string(object["ocid"]), let winner = winners[ocid], winner.order != index {
                let date = OCDSMapping.string(object["date"]) ?? "no date"
                let later = winner.candidate
                notices.append(InputIssue(path, line, 0,
                    "\(ocid): release of \(date) superseded by the release of \(later.date ?? "no date") on line \(later.line)",
                    kind: "older release superseded by a later one"))
                continue
            }
            let mapped = OCDSMapping.map(object, file: path, line: line)
            notices += mapped.notices
            return mapped.row
        }
    }

    private enum Release {
        case found([String: Any])
        case invalid(String)

        func row(path: String, line: Int) -> SourceRow {
            guard case .invalid(let message) = self else { fatalError("not invalid") }
            return .invalid([InputIssue(path, line, 0, message)])
        }
    }

    private func nextRelease() throws(PortfolioError) -> (Release, Int)? {
        switch mode {
        case .document(let releases, let next):
            guard next < releases.count else { return nil }
            mode = .document(releases: releases, next: next + 1)
            return (.found(releases[next].release), releases[next].line)
        case .lines(let reader, var pending):
            if !pending.isEmpty {
                let first = pending.removeFirst()
                mode = .lines(reader, pending: pending)
                return (.found(first.release), first.line)
            }
            while let line = try reader.nextLine() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let object = OCDSSource.parse(line) else {
                    return (.invalid("not valid JSON (\(OCDSSource.lineReason(line)))"), reader.lineNumber)
                }
                let releases = OCDSSource.releases(in: object)
                guard !releases.isEmpty else {
                    return (.invalid("not an OCDS release (no ocid) nor a package"), reader.lineNumber)
                }
                let rest = releases.dropFirst().map { (release: $0, line: reader.lineNumber) }
                mode = .lines(reader, pending: rest)
                return (.found(releases[0]), reader.lineNumber)
            }
            return nil
        }
    }

    /// Records a release in input order; keeps the latest of each ocid.
    private func consider(_ release: [String: Any], line: Int) {
        defer { order += 1 }
        guard let ocid = OCDSMapping.string(release["ocid"]) else { return }
        let date = OCDSMapping.string(release["date"])
        let candidate = Candidate(line: line, ocid: ocid, instant: date.flatMap(OCDSMapping.instant), date: date)
        if let current = winners[ocid], (current.candidate.instant ?? Int.min) > (candidate.instant ?? Int.min) { return }
        winners[ocid] = (order, candidate)
    }

    /// The releases an OCDS object holds, in order.
    static func releases(in object: Any) -> [[String: Any]] {
        if let list = object as? [Any] { return list.flatMap { releases(in: $0) } }
        guard let dict = object as? [String: Any] else { return [] }
        if let releases = dict["releases"] as? [[String: Any]], dict["ocid"] == nil { return releases }
        if let records = dict["records"] as? [[String: Any]] { return records.compactMap(release(ofRecord:)) }
        return dict["ocid"] != nil ? [dict] : []
    }

    /// A record's compiled release, else its latest embedded release (linked releases carry no data).
    static func release(ofRecord record: [String: Any]) -> [String: Any]? {
        if var compiled = record["compiledRelease"] as? [String: Any] {
            if compiled["ocid"] == nil { compiled["ocid"] = record["ocid"] }
            return compiled
        }
        let embedded = (record["releases"] as? [[String: Any]] ?? []).filter { $0["tender"] != nil || $0["awards"] != nil || $0["contracts"] != nil }
        return embedded.max { a, b in
            (OCDSMapping.string(a["date"]).flatMap(OCDSMapping.instant) ?? Int.min)
                < (OCDSMapping.string(b["date"]).flatMap(OCDSMapping.instant) ?? Int.min)
        } ?? ["ocid": record["ocid"] ?? "", "tender": [String: Any]()]
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(line))
    }

    private static func lineReason(_ line: ArraySlice<UInt8>) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(line))
            return "unknown reason"
        } catch {
            return reason(error)
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    private static func readWhole(path: String) throws(PortfolioError) -> Data {
        let file = try ChunkedFile(path: path)
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: CSVTokenizer.chunkSize)
        while true {
            let n = try chunk.withUnsafeMutableBufferPointer { (b) throws(PortfolioError) -> Int in
                try file.read(into: b.baseAddress!, count: b.count)
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
        }
    }

    /// A file of unknown extension is JSON Lines when its first line is a whole JSON object
    /// and more follows.
    private static func looksLikeJSONLines(path: String) throws(PortfolioError) -> Bool {
        let reader = LineReader(file: try ChunkedFile(path: path))
        guard let first = try reader.nextLine(), parse(first) is [String: Any] else { return false }
        return try reader.nextLine() != nil
    }
}
