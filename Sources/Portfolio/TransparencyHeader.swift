/// Maps the column headings of a Local Government Transparency Code 2015 contracts register
/// to canonical fields. Councils word their headings differently ("Reference Number",
/// "Contract Reference", "Title of Agreement", "Total Value (£)", "CONTRACT_START_DATE"), so
/// headings are compared after normalising: lower case, every run of non-letters/digits a
/// single space, "£"/"gbp"/"ex vat" dropped.
struct TransparencyHeader {
    /// What a column holds once mapped.
    enum Role: Equatable {
        case field(CanonicalField)
        case extra(Int, ExtraKind)
        /// A column without a heading (spreadsheets export trailing empty columns).
        case ignored
    }

    /// How an extra column's text is cleaned up.
    enum ExtraKind: Equatable {
        case text
        case date    // normalised to YYYY-MM-DD
        case money   // normalised to a plain decimal
        case flag    // yes / no
    }

    let roles: [Role]
    /// Original headings, for messages.
    let headings: [String]
    let extraColumns: [String]

    /// Canonical fields and the headings that mean them, most specific first: when a file has
    /// both "Title" and "Description", the title wins and the description becomes an extra.
    static let aliases: [(CanonicalField, [String])] = [
        (.id, ["reference number", "contract reference number", "contract reference", "reference",
               "contract ref", "contract ref no", "reference no", "ref no", "ref", "contract number",
               "contract no", "contract id", "unique reference", "contract code", "id"]),
        (.title, ["title of agreement", "contract title", "title", "agreement title", "title of contract",
                  "contract name", "name of contract", "contract", "subject", "description",
                  "contract description", "description of goods and or services", "description of goods services"]),
        (.supplier, ["supplier name", "supplier", "suppliers", "supplier name and details", "name of supplier",
                     "contractor", "contractor name", "provider", "provider name", "awarded supplier"]),
        (.directorate, ["department", "directorate", "department responsible", "local authority department responsible",
                        "responsible department", "service area", "service", "division", "business unit",
                        "commissioning directorate"]),
        (.leadOfficer, ["contract manager", "lead officer", "contract owner", "responsible officer",
                        "contract officer", "officer responsible", "nominated contact point name"]),
        (.category, ["category", "procurement category", "primary procurement category", "contract category",
                     "service category", "service category label", "category of spend", "cpv label",
                     "cpv description", "proclass label", "contract type"]),
        (.valueTotal, ["total value", "contract value", "value", "total contract value", "whole life value",
                       "estimated total value", "estimated contract value", "contract award value",
                       "value of contract", "sum to be paid over the length of the contract", "estimated value",
                       "award value", "total estimated value", "value total"]),
        (.valueAnnual, ["annual value", "estimated annual value", "annual contract value", "annual spend",
                        "estimated annual spend", "estimated annual spending or budget", "value per annum",
                        "annual budget", "value annual"]),
        (.startDate, ["start date", "contract start date", "start", "commencement date", "contract start",
                      "date of commencement", "effective date"]),
        (.endDate, ["end date", "contract end date", "expiry date", "contract expiry date", "end",
                    "contract end", "current end date", "contract current end date", "expiry"]),
        (.maxEndDate, ["end date including extensions", "end date incl extensions", "end date with extensions",
                       "maximum end date", "max end date", "maximum contract end date", "extended end date",
                       "latest end date", "final end date", "last extension date", "end date inc extensions"]),
    ]

    /// Extra columns the Code asks for, under stable names rules can use (`c.extra.review_date`).
    static let knownExtras: [(name: String, kind: ExtraKind, headings: [String])] = [
        ("review_date", .date, ["review date", "contract review date", "date of review", "next review date"]),
        ("irrecoverable_vat", .money, ["irrecoverable vat", "vat that cannot be recovered", "value added tax that cannot be recovered",
                                       "non recoverable vat", "vat not recoverable", "irrecoverable vat amount"]),
        ("sme", .flag, ["sme", "sme supplier", "is the supplier an sme", "sme yes no", "sme status", "small or medium enterprise"]),
        ("vcse", .flag, ["vcse", "vcse supplier", "is the supplier a vcse", "vcse yes no", "vcse status",
                         "voluntary or community sector organisation"]),
        ("sme_vcse", .text, ["sme vcse", "sme or vcse", "sme and or vcse", "sme vcse status"]),
        ("company_number", .text, ["company number", "companies house number", "company registration number",
                                   "supplier registered company number", "company reg no", "registered company number",
                                   "company no", "supplier company number"]),
        ("charity_number", .text, ["charity number", "registered charity number", "charity registration number",
                                   "charity no", "supplier registered charity number"]),
        ("procurement_route", .text, ["procurement route", "procurement process", "procurement procedure", "route to market",
                                      "procurement method", "itq itt", "itt itq", "itt or itq", "itq or itt", "invitation to quote or tender", "tender or quote",
                                      "quote or tender"]),
        ("description", .text, ["description", "contract description", "description of goods and or services",
                                "description of goods services", "brief description"]),
    ]

    init(_ names: [String]) {
        headings = names
        let keys = names.map(TransparencyHeader.normalise)
        var roles = [Role?](repeating: nil, count: names.count)
        for (field, candidates) in TransparencyHeader.aliases {
            for candidate in candidates {
                if let index = keys.indices.first(where: { keys[$0] == candidate && roles[$0] == nil }) {
                    roles[index] = .field(field)
                    break
                }
            }
        }
        var extras: [String] = []
        var used = Set<String>()
        func addExtra(_ name: String) -> Int {
            var unique = name.isEmpty ? "column" : name
            var n = 2
            while used.contains(unique) || CanonicalField(rawValue: unique) != nil {
                unique = "\(name)_\(n)"
                n += 1
            }
            used.insert(unique)
            extras.append(unique)
            return extras.count - 1
        }
        for index in names.indices where roles[index] == nil {
            let key = keys[index]
            if names[index].isEmpty {
                roles[index] = .ignored
                continue
            }
            let known = TransparencyHeader.knownExtras.first { $0.headings.contains(key) }
                ?? TransparencyHeader.knownExtraByKeyword(key)
            if let known, !used.contains(known.name) {
                roles[index] = .extra(addExtra(known.name), known.kind)
            } else {
                roles[index] = .extra(addExtra(key.replacingOccurrences(of: " ", with: "_")), .text)
            }
        }
        self.roles = roles.map { $0! }
        extraColumns = extras
    }

    /// The Code's long-form questions ("Is the supplier a small or medium sized enterprise
    /// (SME)?") are recognised by their key words.
    private static func knownExtraByKeyword(_ key: String) -> (name: String, kind: ExtraKind, headings: [String])? {
        let words = Set(key.split(separator: " ").map(String.init))
        func known(_ name: String) -> (name: String, kind: ExtraKind, headings: [String])? {
            knownExtras.first { $0.name == name }
        }
        if words.contains("sme") && words.contains("vcse") { return known("sme_vcse") }
        if words.contains("sme") || key.contains("small or medium") { return known("sme") }
        if words.contains("vcse") || key.contains("voluntary or community") { return known("vcse") }
        if key.contains("irrecoverable") || key.contains("cannot be recovered") { return known("irrecoverable_vat") }
        if key.contains("invitation to") { return known("procurement_route") }
        if key.contains("review date") { return known("review_date") }
        return nil
    }

    func column(of field: CanonicalField) -> Int? {
        roles.firstIndex(of: .field(field)).map { $0 + 1 }
    }

    /// True when the headings name at least a reference and a title.
    var recognisesContracts: Bool { column(of: .id) != nil && column(of: .title) != nil }

    /// "Total Value (£)" -> "total value"; "CONTRACT_START_DATE" -> "contract start date".
    static func normalise(_ heading: String) -> String {
        var words: [String] = []
        var current = ""
        for scalar in heading.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        // Currency and VAT basis say how a value is expressed, not what it is.
        words.removeAll { $0 == "gbp" }
        var text = words.joined(separator: " ")
        for suffix in [" ex vat", " excl vat", " excluding vat", " exc vat", " net of vat", " net"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
        }
        return text
    }
}
