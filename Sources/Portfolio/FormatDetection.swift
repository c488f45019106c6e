/// Picks the loader for a file: by the explicit format, else by extension (.json, .jsonl and
/// .ndjson are OCDS; so is any file starting with `{` or `[`), else by the CSV header
/// (canonical when it has `id` and `title` columns exactly, otherwise a Transparency Code
/// register when its headers map).
enum FormatDetection {
    static func openSource(path: String, format: PortfolioFormat?) throws(PortfolioError) -> ContractSource {
        var chosen = format
        if chosen == nil { chosen = try detectByName(path: path) }
        if chosen == .ocds { return try OCDSSource(path: path) }
        let tokenizer = CSVTokenizer(file: try ChunkedFile(path: path))
        let header = try CanonicalCSVSource.readHeader(path: path, tokenizer: tokenizer)
        switch chosen {
        case .csv:
            return try CanonicalCSVSource(path: path, tokenizer: tokenizer, header: header)
        case .transparency:
            return try TransparencySource(path: path, tokenizer: tokenizer, header: header)
        default:
            // Detected from the header.
            if header.contains("id") && header.contains("title") {
                return try CanonicalCSVSource(path: path, tokenizer: tokenizer, header: header)
            }
            if TransparencyHeader(header).recognisesContracts {
                return try TransparencySource(path: path, tokenizer: tokenizer, header: header)
            }
            throw .fatal(InputIssue(path, tokenizer.recordLine, 0,
                "the header is neither a canonical portfolio (id and title columns) nor a Transparency Code register (no reference and title columns recognised)"),
                "unknown format")
        }
    }

    /// .ocds when the name or the first bytes say JSON; nil means "a CSV, look at its header".
    private static func detectByName(path: String) throws(PortfolioError) -> PortfolioFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .ocds }
        if lower.hasSuffix(".csv") { return nil }
        for byte in try ChunkedFile.prefix(path: path, count: 4096) {
            switch byte {
            case 0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .ocds
            default: return nil
            }
        }
        return nil
    }
}
