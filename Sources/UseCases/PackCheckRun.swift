import Foundation
import Portfolio
import RuleEngine

/// `cmrg check` as a use case: a rule pack held against a register — the one named, else the
/// sample register when it is there (a pack is checked against the register it will run on).
public struct PackCheckRun {
    /// The register checked against when none is named.
    public static let sampleRegister = "samples/portfolio.csv"

    /// The rule pack directory.
    public var rules: String
    /// The register file; nil for the sample register when it exists (else none).
    public var portfolio: String?
    public var options: LoadOptions
    public var asOf: ContractDate
    public var limits: RuleLimits

    public init(rules: String, portfolio: String?, options: LoadOptions = LoadOptions(), asOf: ContractDate,
                limits: RuleLimits = RuleLimits()) {
        self.rules = rules
        self.portfolio = portfolio
        self.options = options
        self.asOf = asOf
        self.limits = limits
    }

    /// The pack and its findings. Throws `PackSyntaxErrors` when files do not compile (every
    /// file's error, not just the first), a `RuleError` when the pack does not load, a
    /// `PortfolioError` when the register cannot be read (then no findings count: they
    /// would be partial).
    public func run() throws -> (pack: RulePack, report: PackCheckReport) {
        let pack = try RulePack.load(directory: rules)
        let syntax = PackCheck.syntaxErrors(pack)
        if !syntax.isEmpty { throw PackSyntaxErrors(errors: syntax) }
        return (pack, try check(pack))
    }

    func check(_ pack: RulePack) throws -> PackCheckReport {
        let path = portfolio ?? Self.sampleRegister
        guard portfolio != nil || FileManager.default.fileExists(atPath: path) else {
            return try PackCheck.run(pack: pack, asOf: asOf, limits: limits)
        }
        let reader = try PortfolioReader.open(path: path, options: options)
        var failure: PortfolioError?
        let register = CheckRegister(path: path, extraColumns: reader.extraColumns) {
            guard failure == nil else { return [] }
            do throws(PortfolioError) { return try reader.nextBatch(max: 4096) } catch {
                failure = error
                return []
            }
        }
        let report = try PackCheck.run(pack: pack, asOf: asOf, limits: limits, register: register)
        if let failure { throw failure }
        return report
    }
}

/// Syntax errors of a pack's files, in file order (each file compiled on its own).
public struct PackSyntaxErrors: Error, Sendable, Equatable {
    public var errors: [RuleError]
}
