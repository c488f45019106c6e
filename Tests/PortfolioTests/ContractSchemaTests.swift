import Foundation
import Portfolio
import Testing

/// `CanonicalField` is the one list of contract fields: its accessors must address one
/// property each, and the canonical CSV must follow it.
@Suite struct ContractSchemaTests {
    /// A value of `kind` that differs for every slot.
    static func sample(_ kind: FieldKind, _ slot: Int) -> FieldValue {
        switch kind {
        case .text: .text("text \(slot)")
        case .money: .money(Double(slot) * 1000 + 0.5)
        case .date: .date(ContractDate(iso: "2020-01-01")!.adding(days: slot))
        case .level: .level(slot % 5 + 1)
        }
    }

    @Test func everyFieldIsSetAndReadThroughItsOwnProperty() {
        let empty = Contract(id: "", title: "")
        for (slot, field) in CanonicalField.all.enumerated() {
            var c = empty
            let value = Self.sample(field.kind, slot)
            field.set(value, in: &c)
            #expect(field.value(in: c) == value, "\(field.column)")
            #expect(value.kind == field.kind)
            for other in CanonicalField.all where other != field {
                #expect(other.value(in: c) == other.value(in: empty), "setting \(field.column) changed \(other.column)")
            }
            field.set(Self.blank(field.kind), in: &c)
            #expect(c == empty, "\(field.column) does not clear")
        }
    }

    static func blank(_ kind: FieldKind) -> FieldValue {
        switch kind {
        case .text: .text(nil)
        case .money: .money(nil)
        case .date: .date(nil)
        case .level: .level(nil)
        }
    }

    @Test func columnsAreUniqueAndIdAndTitleAreRequired() {
        #expect(Set(CanonicalField.columns).count == CanonicalField.all.count)
        #expect(CanonicalField.all.filter(\.isRequired) == [.id, .title])
        #expect(CanonicalField.all.allSatisfy { !$0.isRequired || $0.kind == .text })
    }

    /// A contract with every field set survives canonical CSV: the writer and the loader both
    /// iterate the schema.
    @Test func everyFieldSurvivesCanonicalCSV() throws {
        var c = Contract(id: "", title: "", extras: ["x"])
        for (slot, field) in CanonicalField.all.enumerated() { field.set(Self.sample(field.kind, slot), in: &c) }
        let dir = try Files.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("all-fields.csv").path
        let writer = try CanonicalCSVWriter(path: path, extraColumns: ["note"])
        try writer.write(c)
        try writer.commit()
        let read = try PortfolioReader.open(path: path).readAll()
        #expect(read.count == 1)
        var back = read[0]
        back.origin = nil
        #expect(back == c)
    }
}
