-- Local policy for selecting contracts for CMRG deep reviews.
-- Every threshold and weight the rules use is here, named and explained. Change a number,
-- then run `cmrg diff --base <adopted rules> --rules rules` to see what it does before adopting it.

settings = {
  -- Tiering (Cabinet Office style): value bands in GBP of whole-life value.
  tier = {
    gold_value   = 10000000, -- £10m and over: high value
    silver_value =  1000000, -- £1m and over: medium value
    high_risk        = 4,    -- risk 4-5 (of 5) counts as high
    high_complexity  = 4,    -- complexity 4-5 (of 5) counts as high
    medium_risk       = 3,   -- risk 3 counts as medium
    medium_complexity = 3,
    -- A contract is Gold when it is high on at least this many of value / risk / complexity ...
    gold_when_high_on = 2,
    -- ... or when its value alone is at least this (very high value is Gold on its own).
    gold_value_alone = 50000000,
    -- What "not assessed" (blank) risk or complexity counts as: a cautious middle value.
    missing_risk       = 3,
    missing_complexity = 3,
  },

  -- Priority score: the sum of these factors (points). Higher = review sooner.
  weights = {
    value      = 30,  -- up to 30 points, growing with the log of whole-life value
    risk       = 8,   -- points per risk level above 1 (risk 5 = 32)
    complexity = 5,   -- points per complexity level above 1 (complexity 5 = 20)
    strategic  = 5,   -- points per strategic importance level above 1
    expiry     = 35,  -- at most 35 points when the contract ends at the right time to review
    member     = 25,  -- a councillor asked for a review
    audit      = -20, -- internal audit covers it this year: avoid duplicating their work
  },

  -- Value points grow from value_floor (0 points) to value_ceiling (full points).
  value_floor   =    100000,
  value_ceiling = 100000000,

  -- Expiry: a review is most useful when there is just enough time left to influence the
  -- decision to re-procure or extend (months before the end date).
  expiry = {
    ideal_from_months = 9,   -- full points when the contract ends 9 ...
    ideal_to_months   = 24,  -- ... to 24 months from now
    horizon_months    = 48,  -- no expiry points beyond 4 years
    too_late_months   = 3,   -- under 3 months left: too late to influence, few points
    expired_points    = 0,   -- an expired contract gets no expiry points
  },

  -- Audit coordination: the audit year that counts as "this year".
  audit_year = "2026/27",
}

-- The forward plan: when the group meets, how many deep reviews it takes, and when a
-- contract is due. `cmrg plan` reads this block; the scheduling itself is fixed (see
-- `cmrg plan --help`): highest score first, each review as early as its window allows.
settings.plan = {
  -- Meetings every 6 weeks counted from this Tuesday (or list the dates instead, e.g.
  -- meetings = { "2026-01-13", "2026-02-24", { date = "2026-04-07", capacity = 2 } }).
  meetings = { every_weeks = 6, first = "2026-01-13" },
  capacity = 3,        -- deep reviews per meeting
  horizon_months = 12, -- how far ahead the plan looks

  -- Review at least this many months before the end date, so the findings can shape the
  -- decision to re-procure or extend (the final end date once that decision has passed).
  review_by_months = { Gold = 12, Silver = 9, Bronze = 6 },

  -- No second review within this many months of the last one ...
  cooldown_months = { Gold = 6, Silver = 12, Bronze = 24 },
  -- ... unless a councillor asks for it.
  member_overrides_cooldown = true,

  -- Cycles: Gold is reviewed every year and Silver every two years, whatever the score.
  -- Bronze has no cycle: it is reviewed only when its score reaches bronze_min_score.
  recur_every_months = { Gold = 12, Silver = 24 },
  min_score = 60,        -- any contract scoring this or more is planned if there is room
  bronze_min_score = 75, -- Bronze only from this score

  -- One officer leads at most this many reviews at one meeting (time to prepare).
  max_reviews_per_officer = 2,

  -- A contract whose review-by date has passed is still reviewed (marked "late") while it
  -- runs; set a tier to false to leave such contracts out instead.
  late_reviews = { Gold = true, Silver = true, Bronze = true },

  -- A review rated Red or Amber is followed up this many months later when the review
  -- recorded no follow-up date of its own. Follow-ups skip the cooldown; overdue ones go first.
  follow_up_months = { Red = 3, Amber = 6 },

  -- Contracts on this year's internal audit plan: "defer" (review after the audit year)
  -- or "joint" (review alongside audit and say so).
  audit = "defer",
  audit_year = settings.audit_year,
}

-- Procurement Act 2023, section 52 (key performance indicators), flagged by flags.lua.
-- The Act's numbers as this council applies them; change them here, not in the rule.
settings.procurement_act = {
  in_force_from = "2025-02-24",   -- contracts awarded from this date are under the Act
  kpi_value_over = 5000000,       -- the KPI duties apply over £5m, VAT included ...
  values_include_vat = false,     -- ... this register's values exclude VAT, so VAT is added
  vat_rate = 0.2,                 -- at 20% before comparing
  min_kpis = 3,                   -- at least 3 KPIs, set and published
  assess_every_months = 12,       -- performance assessed and published at least every 12 months
  assessment_notice_months = 3,   -- flag an assessment this many months before it is due
}
