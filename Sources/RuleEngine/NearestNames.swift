/// "Did you mean …?" suggestions: the names closest to a mistyped one by edit distance.
public enum NearestNames {
    /// Up to `count` names at the smallest edit distances from `name` (ties: name order),
    /// leaving out names so far away that they would not help.
    public static func closest(to name: String, among names: some Sequence<String>, count: Int) -> [String] {
        let target = Array(name.lowercased().utf8)
        let limit = max(2, target.count / 2)
        var scored: [(distance: Int, name: String)] = []
        for candidate in names {
            let d = distance(target, Array(candidate.lowercased().utf8))
            if d <= limit { scored.append((d, candidate)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        var seen = Set<String>()
        var out: [String] = []
        for (_, name) in scored where out.count < count && seen.insert(name).inserted { out.append(name) }
        return out
    }

    /// Levenshtein distance over bytes (ids and field names are ASCII in practice).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
