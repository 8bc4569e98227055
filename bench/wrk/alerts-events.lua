-- POST /api/v1/orgs/{org}/events with EVENTS events per request, fresh event ids, spread over INTEGRATIONS
-- integrations, all errors, in one flow with 100 trace keys (so the error lifecycle folds repeats as in real traffic).
-- Environment: ALERTS_ORG, ALERTS_KEY, EVENTS (default 1), INTEGRATIONS (default 10); BENCH_PLAIN_EVENTS=1 leaves flow and
-- trace key out (the events of runs before the error lifecycle, to compare with them).
local org = os.getenv("ALERTS_ORG") or "bench"
local key = os.getenv("ALERTS_KEY") or "dev-operator-key"
local events = tonumber(os.getenv("EVENTS") or "1")
local integrations = tonumber(os.getenv("INTEGRATIONS") or "10")
local plain = os.getenv("BENCH_PLAIN_EVENTS") == "1"
local counter = 0
local thread_id = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  math.randomseed(os.time() + thread_id)
  prefix = string.format("w%d-%d-%d", thread_id, os.time(), math.random(1, 1000000000))
end

function request()
  local parts = {}
  for i = 1, events do
    counter = counter + 1
    if plain then
      parts[i] = string.format(
        '{"event_id":"%s-%d","integration_id":"int-%d","outcome":"error","status_code":502,"message":"Bad Gateway"}',
        prefix, counter, counter % integrations)
    else
      parts[i] = string.format(
        '{"event_id":"%s-%d","integration_id":"int-%d","outcome":"error","status_code":502,"message":"Bad Gateway","flow":"sync","trace_key":"t-%d"}',
        prefix, counter, counter % integrations, counter % 100)
    end
  end
  local body = '{"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/v1/orgs/" .. org .. "/events",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end
