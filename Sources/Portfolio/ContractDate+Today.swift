import Foundation

extension ContractDate {
    /// Today's date in UTC (the default evaluation date; runs pin it with `--as-of`).
    public static var today: ContractDate {
        ContractDate(dayNumber: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
