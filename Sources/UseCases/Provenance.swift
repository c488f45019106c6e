import RuleEngine

/// Where a result came from, recorded in every machine-readable output: the tool, the rules
/// and the register (each with its SHA-256) and the evaluation date.
public struct Provenance: Sendable, Equatable {
    public var toolVersion: String
    /// SHA-256 (hex) over the rule pack's files (names and contents, in load order).
    public var rulesSHA256: String
    /// SHA-256 (hex) of the input portfolio file's bytes ("" when not computed).
    public var inputSHA256: String
    public var rulesDirectory: String
    public var inputPath: String
    public var asOf: String

    public init(toolVersion: String, rulesSHA256: String, inputSHA256: String, rulesDirectory: String,
                inputPath: String, asOf: String) {
        self.toolVersion = toolVersion
        self.rulesSHA256 = rulesSHA256
        self.inputSHA256 = inputSHA256
        self.rulesDirectory = rulesDirectory
        self.inputPath = inputPath
        self.asOf = asOf
    }

    /// The one place provenance is assembled: `pack` over the register of `inputs`.
    /// `inputSHA256` nil: hash the register now (a national register takes a while; outputs
    /// that do not show the hash pass "").
    init(pack: PreparedPack, _ inputs: RunInputs, inputSHA256: String? = nil) throws {
        self.init(toolVersion: inputs.toolVersion, rulesSHA256: pack.sha256,
                  inputSHA256: try inputSHA256 ?? Fingerprint.file(atPath: inputs.portfolio),
                  rulesDirectory: pack.directory, inputPath: inputs.portfolio, asOf: pack.asOf.iso)
    }
}
