import Foundation

/// A deterministic synthetic portfolio for benchmarks: the same seed, count and as-of date give
/// byte-identical output. Distributions are shaped like a large council's register: a category
/// mix dominated by social care, ICT and professional services; log-normal values around each
/// category's typical size; contract lengths by category; dates spread so some contracts have
/// ended, many end within a year or two and a few run for decades; about 7% not risk-assessed,
/// 2% suggested by a member, 7% covered by an internal audit year.
public struct SyntheticPortfolio {
    public static let extraColumns = ["procurement_route"]

    let seed: UInt64
    let asOf: ContractDate

    public init(seed: UInt64, asOf: ContractDate) {
        self.seed = seed
        self.asOf = asOf
    }

    struct Category {
        var name: String
        var weight: Int
        var directorate: String
        var officers: [String]
        var services: [String]
        /// Median whole-life value (GBP) and log-normal spread.
        var median: Double
        var sigma: Double
        /// Length in months, min...max.
        var months: ClosedRange<Int>
    }

    static let categories: [Category] = [
        Category(name: "Social Care", weight: 22, directorate: "Adult Social Care",
                 officers: ["Head of Commissioning (Adults)", "Commissioning Manager (Learning Disabilities)", "Integrated Commissioning Manager"],
                 services: ["Domiciliary care", "Residential and nursing care placements", "Supported living", "Day opportunities", "Extra care housing support", "Reablement", "Carers support", "Advocacy"],
                 median: 1_800_000, sigma: 1.3, months: 24...84),
        Category(name: "Children's Services", weight: 10, directorate: "Children, Families and Learning",
                 officers: ["Head of Commissioning (Children)", "Head of Early Help", "Head of SEND"],
                 services: ["Children's residential placements", "Independent fostering", "Short breaks", "Targeted youth support", "SEND tuition", "Family support"],
                 median: 900_000, sigma: 1.4, months: 12...60),
        Category(name: "ICT", weight: 12, directorate: "Resources",
                 officers: ["Head of ICT", "Chief Digital Officer", "Head of Business Systems"],
                 services: ["Software licences and support", "Managed network services", "Cloud hosting", "Case management system", "Cyber security services", "End-user devices"],
                 median: 250_000, sigma: 1.5, months: 12...60),
        Category(name: "Professional Services", weight: 10, directorate: "Resources",
                 officers: ["Director of Finance", "Head of Legal Services", "Head of HR"],
                 services: ["Legal services", "Audit services", "Agency staff", "Consultancy support", "Insurance broking", "Valuation services"],
                 median: 150_000, sigma: 1.4, months: 12...48),
        Category(name: "Highways", weight: 8, directorate: "Environment and Transport",
                 officers: ["Head of Highways", "Highways Asset Manager", "Highways Operations Manager"],
                 services: ["Resurfacing", "Term maintenance", "Drainage and gully emptying", "Street lighting maintenance", "Bridge works", "Traffic signals"],
                 median: 1_500_000, sigma: 1.5, months: 12...120),
        Category(name: "Facilities Management", weight: 8, directorate: "Resources",
                 officers: ["Facilities Manager", "Head of Property"],
                 services: ["Cleaning, security and reception", "Hard FM", "Catering", "Grounds maintenance", "Statutory compliance testing"],
                 median: 600_000, sigma: 1.2, months: 24...84),
        Category(name: "Construction", weight: 8, directorate: "Resources",
                 officers: ["Capital Programme Manager", "Head of Property"],
                 services: ["School expansion", "Refurbishment works", "Flood alleviation works", "Roof replacement", "Depot redevelopment"],
                 median: 2_000_000, sigma: 1.4, months: 6...36),
        Category(name: "Transport", weight: 7, directorate: "Environment and Transport",
                 officers: ["Head of Passenger Transport", "Passenger Transport Manager", "Head of Fleet and Equipment"],
                 services: ["Subsidised bus services", "Home to school transport", "Fleet leasing", "Community transport"],
                 median: 700_000, sigma: 1.3, months: 12...96),
        Category(name: "Waste", weight: 5, directorate: "Environment and Transport",
                 officers: ["Head of Waste Services", "Waste Contracts Manager"],
                 services: ["Waste transfer", "Residual waste disposal", "Recyclables processing", "Household waste recycling centres", "Green waste composting"],
                 median: 5_000_000, sigma: 1.4, months: 36...120),
        Category(name: "Public Health", weight: 4, directorate: "Public Health",
                 officers: ["Consultant in Public Health", "Public Health Commissioning Manager"],
                 services: ["Sexual health services", "Drug and alcohol treatment", "Health visiting", "Stop smoking service", "NHS health checks"],
                 median: 1_200_000, sigma: 1.3, months: 24...84),
        Category(name: "Leisure", weight: 2, directorate: "Communities",
                 officers: ["Head of Culture and Leisure", "Countryside Services Manager"],
                 services: ["Leisure centre management", "Country parks services", "Library services support"],
                 median: 1_000_000, sigma: 1.3, months: 36...180),
        Category(name: "Energy", weight: 2, directorate: "Resources",
                 officers: ["Energy Manager", "Climate Change Programme Manager"],
                 services: ["Electricity supply", "Gas supply", "Solar PV installation", "EV charge points"],
                 median: 3_000_000, sigma: 1.2, months: 24...60),
        Category(name: "Street Scene", weight: 2, directorate: "Environment and Transport",
                 officers: ["Head of Street Scene"],
                 services: ["Street cleansing", "Fly-tipping clearance", "Public conveniences"],
                 median: 800_000, sigma: 1.2, months: 36...96),
        Category(name: "Strategic Partnership", weight: 1, directorate: "Resources",
                 officers: ["Director of Finance", "Chief Executive's Office"],
                 services: ["Corporate services partnership", "Property partnership", "Highways partnership"],
                 median: 60_000_000, sigma: 0.8, months: 84...180),
        Category(name: "PFI", weight: 1, directorate: "Children, Families and Learning",
                 officers: ["Head of School Organisation", "Head of Waste Services", "Head of Highways"],
                 services: ["Schools PFI", "Street lighting PFI", "Waste PFI", "Care homes PFI"],
                 median: 120_000_000, sigma: 0.7, months: 300...360),
    ]

    static let areas = ["North", "South", "East", "West", "Central", "County-wide", "Rural", "Market Towns", "Coastal", "City"]
    static let supplierFirst = ["Shire", "Vale", "Northgate", "Meridian", "Keystone", "Greenacre", "Riverside", "Castle", "Beacon",
                                "Horizon", "Oakwood", "Summit", "Pennine", "Harbour", "Lakeside", "Crown", "Forest", "Anchor",
                                "Brightway", "Clearwater", "Redwood", "Ashford", "Kingsway", "Fairfield"]
    static let supplierSecond = ["Care", "Services", "Solutions", "Partnership", "Facilities", "Digital", "Infrastructure",
                                 "Environmental", "Transport", "Support", "Consulting", "Construction", "Health", "Systems"]
    static let supplierForm = ["Ltd", "Limited", "plc", "LLP", "CIC", "Trust"]
    static let members = ["Cllr A. Shah", "Cllr R. Okafor", "Cllr J. Whitfield", "Cllr P. Gregory", "Cllr L. Marsh",
                          "Cllr S. Patel", "Cllr M. Dunne", "Cllr K. Evans"]
    static let routes = ["Open procedure", "Restricted procedure", "Framework call-off", "Further competition",
                         "Direct award", "Quotation", "Dynamic purchasing system", "Open procedure (light touch)"]

    /// Writes `count` contracts to the canonical CSV file `path` ("-": standard output),
    /// whole or not at all; returns how many were written.
    public func write(count: Int, toFile path: String) throws(PortfolioError) -> Int {
        let writer = try CanonicalCSVWriter(path: path, extraColumns: Self.extraColumns)
        try write(count: count, to: writer)
        try writer.commit()
        return writer.count
    }

    /// Writes `count` contracts to `writer` (whose extra columns must be `extraColumns`).
    public func write(count: Int, to writer: CanonicalCSVWriter) throws(PortfolioError) {
        var random = SplitMix64(seed: seed)
        let categories = Self.categories
        let totalWeight = categories.reduce(0) { $0 + $1.weight }
        let idWidth = max(6, String(count).count)
        // The financial year (April to March) of the as-of date, for audit years "2026/27".
        let (year, month, _) = asOf.components
        let financialYear = month >= 4 ? year : year - 1
        func auditYear(_ start: Int) -> String {
            let next = (start + 1) % 100
            return "\(start)/\(next < 10 ? "0" : "")\(next)"
        }
        guard count > 0 else { return }
        for index in 1...count {
            var pickWeight = random.below(totalWeight)
            var category = categories[0]
            for candidate in categories {
                if pickWeight < candidate.weight { category = candidate; break }
                pickWeight -= candidate.weight
            }
            let digits = String(index)
            var c = Contract(id: "G-" + String(repeating: "0", count: max(0, idWidth - digits.count)) + digits,
                             title: "\(random.pick(category.services)) - \(random.pick(Self.areas))"
                                 + (random.chance(0.3) ? " (Lot \(1 + random.below(6)))" : ""))
            c.directorate = category.directorate
            c.category = category.name
            c.leadOfficer = random.pick(category.officers)
            if !random.chance(0.01) {
                c.supplier = "\(random.pick(Self.supplierFirst)) \(random.pick(Self.supplierSecond)) \(random.pick(Self.supplierForm))"
            }

            let months = category.months.lowerBound + random.below(category.months.count)
            var value = category.median * exp(category.sigma * random.normal())
            value = random.chance(0.3) ? (value * 100).rounded() / 100 : value.rounded()
            value = max(value, 5_000)
            if !random.chance(0.02) { c.valueTotal = value }
            if c.valueTotal != nil, !random.chance(0.1) {
                c.valueAnnual = (value * 12 / Double(months)).rounded()
            }

            // Start somewhere between (length + 18 months) ago and 6 months ahead, so end dates
            // run from a year and a half ago to the full length ahead.
            let span = (months + 24) * 30
            let start = asOf.adding(days: random.below(span) - (months + 18) * 30)
            c.startDate = start
            c.endDate = start.adding(months: months).adding(days: -1)
            if random.chance(0.4) { c.maxEndDate = c.endDate!.adding(months: 12 * (1 + random.below(3))) }

            if !random.chance(0.07) {
                // Bigger contracts tend to be riskier and more complex.
                let size = log10(max(value, 10_000)) - 4   // 0 (10k) ... ~5 (1bn)
                func score(_ lean: Double) -> Int {
                    Int((size * lean + random.unit() * 2.5 + 0.5).rounded(.down)).clamped(to: 1...5)
                }
                c.risk = score(0.6)
                c.complexity = score(0.55)
                c.strategicImportance = random.chance(0.05) ? nil : score(0.5)
            }
            if random.chance(0.02) { c.memberSuggested = random.pick(Self.members) }
            let audit = random.unit()
            if audit < 0.04 { c.auditPlanned = auditYear(financialYear) }
            else if audit < 0.07 { c.auditPlanned = auditYear(financialYear - 1 - random.below(3)) }
            c.extras = [random.pick(Self.routes)]
            try writer.write(c)
        }
    }
}

extension Int {
    func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
