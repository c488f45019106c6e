-- Tests of the flags (flags.lua with settings.procurement_act in settings.lua): the
-- Procurement Act 2023 KPI duties. flags = { name = "text it contains" } lists exactly the
-- flags a contract must get (true: any text); flags = {} means none.

defaults {
  as_of = "2026-12-03",
  contract = { value_total = 6000000, start_date = "2026-06-01", end_date = "2030-05-31", risk = 3, complexity = 3 },
}

case "over £5m under the Act with no KPIs recorded" {
  contract = {},
  flags = { kpis = "no KPIs recorded (3 required by 2026-06-01)" },
}

case "three KPIs and an assessment not yet near: nothing to flag" {
  contract = { extra = { kpi_count = "3" } },
  flags = {},
}

case "two KPIs are too few" {
  contract = { extra = { kpi_count = "2" } },
  flags = { kpis = "only 2 KPIs recorded (3 required by 2026-06-01)" },
}

case "a KPI count that is not a number is flagged, not guessed" {
  contract = { extra = { kpi_count = "three" } },
  flags = { kpis = "kpi_count 'three' is not a number of KPIs" },
}

-- The threshold is over £5m VAT included; this register's values exclude VAT (20% added).
case "just over £5m with VAT is in" {
  contract = { value_total = 4166667 },
  flags = { kpis = true },
}

case "just under £5m with VAT is out" {
  contract = { value_total = 4166666 },
  flags = {},
}

case "no value recorded: the duty cannot be told" {
  contract = { value_total = blank },
  flags = {},
}

-- The Act applies to contracts awarded from 24 February 2025.
case "started the day the Act came into force" {
  contract = { start_date = "2025-02-24", extra = { kpi_count = "3", last_kpi_assessment = "2026-09-01" } },
  flags = {},
}

case "started the day before the Act: not under it" {
  contract = { start_date = "2025-02-23" },
  flags = {},
}

case "the award date, when recorded, decides rather than the start date" {
  contract = { start_date = "2025-04-01", extra = { award_date = "2025-02-20" } },
  flags = {},
}

case "an ended contract has nothing left to manage" {
  contract = { start_date = "2025-06-01", end_date = "2026-11-30" },
  flags = {},
}

-- Performance assessed at least every 12 months; flagged from 3 months before it is due.
case "assessment overdue" {
  contract = { start_date = "2025-04-01", extra = { kpi_count = "4", last_kpi_assessment = "2025-12-01" } },
  flags = { kpi_assessment = "KPI assessment overdue (due by 2026-12-01)" },
}

case "assessment due within 3 months" {
  contract = { start_date = "2025-04-01", extra = { kpi_count = "4", last_kpi_assessment = "2026-03-04" } },
  flags = { kpi_assessment = "KPI assessment due by 2027-03-04" },
}

case "assessment just over 3 months away is not yet flagged" {
  contract = { start_date = "2025-04-01", extra = { kpi_count = "4", last_kpi_assessment = "2026-03-10" } },
  flags = {},
}

case "never assessed: due 12 months after the award" {
  contract = { start_date = "2026-01-05", extra = { kpi_count = "4" } },
  flags = { kpi_assessment = "KPI assessment due by 2027-01-05" },
}

case "an assessment date that is not a date is flagged" {
  contract = { extra = { kpi_count = "3", last_kpi_assessment = "31/03/2026" } },
  flags = { kpi_assessment = "last_kpi_assessment '31/03/2026' is not a date" },
}
