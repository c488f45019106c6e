---@meta
-- Editor support for rule authors (lua-language-server). This file only describes what the
-- cmrg host provides; it is not loaded by cmrg (it is a definition file, see .luarc.json).
-- cmrg loads every other *.lua file in this directory, in file-name order.

---One contract as the rules see it. Read-only: assigning to a field is an error.
---Unknown values are nil (never 0): decide in the rules what missing means.
---@class Contract
---@field id string                     Contract reference, e.g. "C-017"
---@field title string
---@field supplier string?
---@field directorate string?
---@field lead_officer string?          A role title, e.g. "Head of Waste Services"
---@field category string?
---@field value_total number?           Whole-life value in GBP
---@field value_annual number?          Annual value in GBP
---@field start_date string?            "YYYY-MM-DD"
---@field end_date string?              "YYYY-MM-DD"
---@field max_end_date string?          "YYYY-MM-DD", end date if every extension is taken
---@field risk integer?                 1 (low) to 5 (high); nil = not assessed
---@field complexity integer?           1 to 5; nil = not assessed
---@field strategic_importance integer? 1 to 5
---@field member_suggested string?      Name of the councillor who asked for a review
---@field audit_planned string?         Internal audit year covering it, e.g. "2026/27"
---@field member_suggested_on string?   "YYYY-MM-DD", when the member asked (a review on or after it answers it)
---@field notice_stage string?          "tender" (not yet awarded), "award" or "contract"; nil in a council register
---@field review_group string?          Contracts with the same group are reviewed together, in one seat
---@field extra table<string, string>   Every other column of the register, as text

---Record a reason for the decision being made (shown by `cmrg explain`, with this file:line).
---Example: `because("Gold: high value and high risk")`
---@param text string
function because(text) end

---Record a scored factor (shown by `cmrg explain` with its points and this file:line) and
---give back its points. It does not change the score by itself: return the total from score(c).
---Example: `total = total + factor("member", 25, "suggested by Cllr J. Patel")`
---@param name string
---@param points number
---@param text? string
---@return number points
function factor(name, points, text) end

---Money as people read it, for reasons and factor texts.
---Example: `money(12500000)` → "£12,500,000"; `money(nil)` → "unknown"
---@param value number?
---@return string
function money(value) end

---Days from the evaluation date (`--as-of`) to `date`; negative when past; nil for nil.
---Example: `days_until(c.end_date)` → 120
---@param date string?
---@return integer?
function days_until(date) end

---Months (of 30.44 days) from the evaluation date to `date`; nil for nil.
---Example: `months_until(c.end_date) < 12`
---@param date string?
---@return number?
function months_until(date) end

---Days from date `a` to date `b`; nil if either is nil.
---Example: `days_between(c.start_date, c.end_date) / 365` → contract length in years
---@param a string?
---@param b string?
---@return integer?
function days_between(a, b) end

---The evaluation date, "YYYY-MM-DD".
---@return string
function as_of() end

---The pack must define: the contract's tier.
---@param c Contract
---@return "Gold"|"Silver"|"Bronze"
function tier(c) end

---The pack must define: the selection priority (higher = review sooner). A finite number.
---@param c Contract
---@return number
function score(c) end

---A flag for a person to act on (see flags(c)).
---@class Flag
---@field name string  A short name, e.g. "kpis" (at most 64 bytes)
---@field text string  What a person reads, e.g. "no KPIs recorded (3 required by 2026-04-01)"
---@field due string?  "YYYY-MM-DD": by when

---The pack may define: duties and dates to act on for the contract ({} for none). Flags do
---not change the tier or the score; every output shows them.
---@param c Contract
---@return Flag[]
function flags(c) end

---`date` plus `n` whole months, the day moved back to the month's last when needed; nil for nil.
---Example: `add_months("2026-01-31", 1)` → "2026-02-28"
---@param date string?
---@param n integer
---@return string?
function add_months(date, n) end
