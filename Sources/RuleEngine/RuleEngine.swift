// RuleEngine module
