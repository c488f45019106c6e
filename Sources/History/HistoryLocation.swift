import Foundation

/// Where the review history is, found by one rule that plan, report and every history
/// command share: `--history` when given; else `cmrg.sqlite` beside the portfolio when it
/// exists; else `reviews.csv` beside it (read into memory, never written); else none.
public enum HistoryLocation: Sendable, Equatable {
    case database(String)
    case csv(String)
    case none(looked: [String])

    public static func resolve(explicit: String?, portfolio: String) -> HistoryLocation {
        if let explicit {
            return explicit.lowercased().hasSuffix(".csv") ? .csv(explicit) : .database(explicit)
        }
        let database = databaseBeside(portfolio), csv = beside(portfolio, "reviews.csv")
        if FileManager.default.fileExists(atPath: database) { return .database(database) }
        if FileManager.default.fileExists(atPath: csv) { return .csv(csv) }
        return .none(looked: [database, csv])
    }

    /// The SQLite history that belongs with a portfolio: cmrg.sqlite in its directory.
    public static func databaseBeside(_ portfolio: String) -> String { beside(portfolio, "cmrg.sqlite") }

    static func beside(_ portfolio: String, _ name: String) -> String {
        let directory = (portfolio as NSString).deletingLastPathComponent
        return directory.isEmpty ? name : directory + "/" + name
    }
}
