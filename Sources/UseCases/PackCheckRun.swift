import Foundation
import Portfolio
import RuleEngine

/// `cmrg check` as a use case: a rule pack held against a register — the one named, else the
/// sample register when it is there (a pack is checked against the register it will run on).
public struct PackCheckRun {
    /// The register checked against when none is named.
    public static let sampleRegister = "samples/portfolio.csv"

    public var pack: RulePack
    /// The register file; nil for the sample register when it exists (else none).
    public var portfolio: String?
    public var options: LoadOptions
    public var asOf: ContractDate
    public var limits: RuleLimits

    public init(pack: RulePack, portfolio: String?, options: LoadOptions = LoadOptions(), asOf: ContractDate,
                limits: RuleLimits = RuleLimits()) {
        self.pack = pack
        self.portfolio = portfolio
        self.options = options
        self.asOf = asOf
        self.limits = limits
    }

    /// The findings. Throws a `RuleError` when the pack does not load, a `PortfolioError`
    /// when the register cannot be read (then no findings count: they would be partial).
    public func run() throws -> PackCheckReport {
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
