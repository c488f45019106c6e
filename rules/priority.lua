-- Priority: how soon a contract should have a deep review. The score is the sum of the
-- factors below; each one is recorded with factor(name, points, why) so `cmrg explain`
-- can show where every point came from. Weights live in settings.lua.

local function value_points(c)
  local w = settings.weights
  local v = c.value_total
  if v == nil then return 0, "value unknown" end
  local lo, hi = math.log(settings.value_floor), math.log(settings.value_ceiling)
  local share = (math.log(math.max(v, 1)) - lo) / (hi - lo)
  share = math.max(0, math.min(1, share))
  return w.value * share, "whole-life value " .. money(v)
end

-- Peaks while there is just enough time to influence the re-procure / extend decision.
local function expiry_points(c)
  local e, w = settings.expiry, settings.weights
  local months = months_until(c.end_date)
  if months == nil then return 0, "end date unknown" end
  if months < 0 then return e.expired_points, "ended " .. math.floor(-months) .. " months ago" end
  local why = string.format("ends in %.0f months", months)
  if months < e.too_late_months then return w.expiry * 0.25, why .. ": late to influence the decision" end
  if months < e.ideal_from_months then
    local share = (months - e.too_late_months) / (e.ideal_from_months - e.too_late_months)
    return w.expiry * (0.25 + 0.75 * share), why
  end
  if months <= e.ideal_to_months then return w.expiry, why .. ": right time to inform re-procurement" end
  if months <= e.horizon_months then
    local share = 1 - (months - e.ideal_to_months) / (e.horizon_months - e.ideal_to_months)
    return w.expiry * share, why
  end
  return 0, why .. ": beyond the planning horizon"
end

function score(c)
  local w, t = settings.weights, settings.tier
  local risk = c.risk or t.missing_risk
  local complexity = c.complexity or t.missing_complexity
  local total = 0

  -- factor(name, points, why) records the factor and gives back its points.
  total = total + factor("value", value_points(c))
  total = total + factor("risk", w.risk * (risk - 1),
                         "risk " .. (c.risk or ("not assessed, taken as " .. risk)))
  total = total + factor("complexity", w.complexity * (complexity - 1),
                         "complexity " .. (c.complexity or ("not assessed, taken as " .. complexity)))
  if c.strategic_importance then
    total = total + factor("strategic", w.strategic * (c.strategic_importance - 1),
                           "strategic importance " .. c.strategic_importance)
  end
  total = total + factor("expiry", expiry_points(c))
  if c.member_suggested then
    total = total + factor("member", w.member, "suggested by " .. c.member_suggested)
  end
  if c.audit_planned == settings.audit_year then
    total = total + factor("audit", w.audit, "on the " .. settings.audit_year .. " internal audit plan")
  end
  return total
end
