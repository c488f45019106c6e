-- Flags: duties and dates the contract manager must act on, shown beside the tier and score
-- in every output (evaluate, explain, plan, report). A flag never changes a tier or a score.
--
-- The default pack flags the Procurement Act 2023 contract management duties on key
-- performance indicators (section 52): a contract worth more than £5m (VAT included) must
-- have at least three KPIs, set before it is entered into and published, and the supplier's
-- performance against them must be assessed, and the assessment published, at least once
-- every 12 months. The duty applies to contracts awarded under the Act, in force from
-- 24 February 2025. The numbers are in settings.lua (settings.procurement_act); see
-- rules/README.md, "Flags", for the source and how to change them.
--
-- Registers that record KPIs have these columns (blank = not recorded); others read as nil:
--   kpi_count            how many KPIs the contract has
--   last_kpi_assessment  date of the last published performance assessment (YYYY-MM-DD)
--   award_date           date the contract was awarded (else the start date is used)
optional_columns = { "kpi_count", "last_kpi_assessment", "award_date" }

local function is_date(text)
  return text ~= nil and text:match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil
end

-- The contract's value as the Act counts it: VAT included.
local function value_with_vat(c)
  local pa = settings.procurement_act
  if c.value_total == nil then return nil end
  local vat = pa.values_include_vat and 0 or pa.vat_rate
  return c.value_total * (1 + vat)
end

-- Whether the section 52 KPI duties apply to the contract, and the date they run from.
local function kpi_duty(c)
  local pa = settings.procurement_act
  local value = value_with_vat(c)
  if value == nil or value <= pa.kpi_value_over then return nil end
  local awarded = c.extra.award_date
  if not is_date(awarded) then awarded = c.start_date end
  if awarded == nil or awarded < pa.in_force_from then return nil end
  if c.end_date ~= nil and days_until(c.end_date) < 0 then return nil end -- ended: nothing left to manage
  return awarded
end

function flags(c)
  local pa = settings.procurement_act
  local awarded = kpi_duty(c)
  if awarded == nil then return {} end
  local out = {}

  local recorded = c.extra.kpi_count
  local count = tonumber(recorded)
  if recorded == nil then
    out[#out + 1] = { name = "kpis", due = awarded,
                      text = "no KPIs recorded (" .. pa.min_kpis .. " required by " .. awarded .. ")" }
  elseif count == nil or count ~= math.floor(count) or count < 0 then
    out[#out + 1] = { name = "kpis", due = awarded,
                      text = "kpi_count '" .. recorded .. "' is not a number of KPIs" }
  elseif count < pa.min_kpis then
    out[#out + 1] = { name = "kpis", due = awarded,
                      text = "only " .. math.floor(count) .. " KPIs recorded (" .. pa.min_kpis .. " required by " .. awarded .. ")" }
  end

  -- The next assessment is due 12 months after the last one (or after the award).
  local last = c.extra.last_kpi_assessment
  if last ~= nil and not is_date(last) then
    out[#out + 1] = { name = "kpi_assessment",
                      text = "last_kpi_assessment '" .. last .. "' is not a date (YYYY-MM-DD)" }
    return out
  end
  local due = add_months(last or awarded, pa.assess_every_months)
  local left = days_until(due)
  if left < 0 then
    out[#out + 1] = { name = "kpi_assessment", due = due, text = "KPI assessment overdue (due by " .. due .. ")" }
  elseif months_until(due) <= pa.assessment_notice_months then
    out[#out + 1] = { name = "kpi_assessment", due = due, text = "KPI assessment due by " .. due }
  end
  return out
end
