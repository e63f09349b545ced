-- wrk/wrk2 script for bench/drain-bench.sh: the three key distributions of issue 10.
--   DRAIN_LOAD=spread     PUT /api/devices/dev-N, N round-robin over BENCH_DEVICES (default 1000)
--   DRAIN_LOAD=telemetry  POST /api/devices/dev-7/telemetry (one chatty device, independent readings)
--   DRAIN_LOAD=record     PUT /api/devices/dev-7 (one device record replaced in a tight loop)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local load = os.getenv("DRAIN_LOAD") or "spread"
local devices = common.env_number("BENCH_DEVICES", 1000)
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local n = 0

function request()
  n = n + 1
  if load == "telemetry" then
    return wrk.format("POST", "/api/devices/dev-7/telemetry", headers,
      string.format('{"timestamp":"2026-01-01T00:00:00Z","data":{"n":%d}}', n))
  elseif load == "record" then
    return wrk.format("PUT", "/api/devices/dev-7", headers,
      string.format('{"name":"v%d","type":"thermo"}', n))
  end
  local d = (n % devices) + 1
  return wrk.format("PUT", "/api/devices/dev-" .. d, headers,
    string.format('{"name":"v%d","type":"thermo"}', n))
end

function done(summary, latency, requests)
  common.report(summary, latency)
end
