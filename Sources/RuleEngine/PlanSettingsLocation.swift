/// Where in the rule pack a `settings.plan` setting is written, so a problem with it can be
/// reported as `rules/settings.lua:78: settings.plan.late_reviews.Gold must be …` by both
/// `cmrg plan` and `cmrg check`. Found from the source text: the line that assigns the
/// setting's deepest key the files write (or the block's own line when the key is not
/// written there, e.g. a missing setting).
enum PlanSettingsLocation {
    static func locate(_ problem: String, in pack: RulePack) -> RuleLocation? {
        // The syntax tree knows every way a setting is written (nested keys, other files);
        // the text scan below is for files the parser does not follow.
        if let located = PackSource(pack).location(ofSettingIn: problem) { return located }
        for file in pack.files {
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let start = lines.firstIndex(where: { $0.contains("settings.plan") && $0.contains("=") && !$0.contains("==") })
            else { continue }
            var key = ""
            if problem.hasPrefix("settings.plan.") {
                key = String(problem.dropFirst("settings.plan.".count).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            }
            if !key.isEmpty, let line = lines[start...].firstIndex(where: { text in
                let trimmed = text.drop { $0 == " " || $0 == "\t" }
                return trimmed.hasPrefix(key) && trimmed.dropFirst(key.count).drop { $0 == " " }.first == "="
            }) {
                return RuleLocation(file: file.path, line: line + 1)
            }
            return RuleLocation(file: file.path, line: start + 1)
        }
        return nil
    }

    /// The problems, each prefixed with where the setting is written.
    static func located(_ error: PlanPolicyError, in pack: RulePack) -> PlanPolicyError {
        PlanPolicyError(problems: error.problems.map { p in locate(p, in: pack).map { "\($0): \(p)" } ?? p })
    }
}
