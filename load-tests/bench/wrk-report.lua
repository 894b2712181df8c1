-- wrk script for the routed-read benchmarks (run-all.sh): adds the bearer token and a Cache-Control
-- header, if given, to every request and writes the run's summary as JSON, in the shape `ordermesh bench read --json` writes.
--   TOKEN=... WRK_JSON=out.json wrk -t2 -c16 -d20s -s wrk-report.lua http://127.0.0.1:8080/api/v1/users/me
-- The header is set once per thread (wrk.headers), so wrk spends no Lua time per request.

local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
-- CACHE_CONTROL=no-cache: the gateway's read that queries PostgreSQL instead of the user service's views.
local cacheControl = os.getenv("CACHE_CONTROL")
if cacheControl and cacheControl ~= "" then
  wrk.headers["Cache-Control"] = cacheControl
end

local function ms(micros)
  return micros / 1000.0
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  local seconds = summary.duration / 1e6
  local json = string.format(
    '{"tool":"wrk","target":"%s","connections":%s,"durationMs":%d,"requests":%d,"errors":%d,' ..
    '"errorsByKind":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"requestsPerSecond":%.1f,"latencyMs":{"count":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f,"mean":%.3f}}\n',
    os.getenv("WRK_TARGET") or "", os.getenv("WRK_CONNECTIONS") or "null", summary.duration / 1000,
    summary.requests, failed, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    summary.requests / seconds, summary.requests, ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency.max), ms(latency.mean))
  local path = os.getenv("WRK_JSON")
  if path and path ~= "" then
    local file = assert(io.open(path, "w"))
    file:write(json)
    file:close()
  else
    io.write(json)
  end
end
