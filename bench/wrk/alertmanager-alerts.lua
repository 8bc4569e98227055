-- POST /api/v2/alerts with EVENTS firing alerts per request, each a distinct label set (a new alert, as a
-- fresh error is), spread over INTEGRATIONS "integrations". The same request shapes as alerts-events.lua.
local events = tonumber(os.getenv("EVENTS") or "1")
local integrations = tonumber(os.getenv("INTEGRATIONS") or "10")
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
    parts[i] = string.format(
      '{"labels":{"alertname":"IntegrationError","event_id":"%s-%d","integration_id":"int-%d","status_code":"502"},' ..
      '"annotations":{"message":"Bad Gateway"}}',
      prefix, counter, counter % integrations)
  end
  return wrk.format("POST", "/api/v2/alerts", { ["Content-Type"] = "application/json" }, "[" .. table.concat(parts, ",") .. "]")
end
