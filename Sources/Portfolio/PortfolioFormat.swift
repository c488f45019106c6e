/// The register formats a portfolio can be read from.
public enum PortfolioFormat: String, CaseIterable, Sendable {
    /// Canonical portfolio CSV (see DESIGN.md): header with at least `id` and `title`.
    case csv
    /// Local Government Transparency Code 2015 contracts register, as councils publish it.
    case transparency
    /// OCDS 1.1 JSON: release package, record package or JSON Lines of releases.
    case ocds
}
