/// "Did you mean …?" suggestions: the names closest to a mistyped one by edit distance.
public enum NearestNames {
    /// Up to `count` names at the smallest edit distances from `name` (ties: name order),
    /// leaving out names so far away that they would not help.
    public static func closest(to name: String, among names: some Sequence<String>, count: Int) -> [String] {
        closest(to: name, among: names, count: count, limit: max(2, name.utf8.count / 2))
    }

    /// The name `name` is most likely a typo of (closer than `closest` allows: a third of its
    /// length), as the sandbox's strict errors suggest it.
    public static func typo(of name: String, among names: some Sequence<String>) -> String? {
        closest(to: name, among: names.lazy.filter { $0 != name }, count: 1, limit: max(1, name.utf8.count / 3),
                measure: typoDistance).first
    }

    static func closest(to name: String, among names: some Sequence<String>, count: Int, limit: Int,
                        measure: ([UInt8], [UInt8]) -> Int = distance) -> [String] {
        let target = Array(name.lowercased().utf8)
        var scored: [(distance: Int, name: String)] = []
        for candidate in names {
            let d = measure(target, Array(candidate.lowercased().utf8))
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

    /// Like `distance`, with two neighbouring letters swapped counting as one edit
    /// (`teir` → `tier`), the commonest typo (optimal string alignment distance).
    static func typoDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
