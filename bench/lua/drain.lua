-- wrk/wrk2 script for bench/drain-bench.sh: the three key distributions of issue 10.
--   DRAIN_LOAD=spread     PUT /api/devices/dev-N, N round-robin over BENCH_DEVICES (default 1000)
--   DRAIN_LOAD=telemetry  POST /api/devices/dev-7/telemetry (one chatty device, independent readings)
--   DRAIN_LOAD=record     PUT /api/devices/dev-7 (one device record replaced in a tight loop)
-- BENCH_RATE=<requests/s of this wrk thread> paces plain wrk at a fixed rate through wrk's delay()
-- hook (LuaJIT's ffi reads CLOCK_MONOTONIC): one schedule per thread, each request waits for its
-- slot; a thread more than a second behind restarts its schedule (the achieved rate then shows the
-- shortfall). Unlike wrk2 this is not corrected for coordinated omission: latencies are from the
-- request's send, so they hold only while the achieved rate equals the asked rate.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local load = os.getenv("DRAIN_LOAD") or "spread"
local devices = common.env_number("BENCH_DEVICES", 1000)
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local n = 0
local rate = common.env_number("BENCH_RATE", 0)

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } drain_timespec;
    int clock_gettime(int clock, drain_timespec *ts);
  ]]
  local ts = ffi.new("drain_timespec")
  local CLOCK_MONOTONIC = 1
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 / rate
  local next_at = nil
  function delay()  -- milliseconds until this request's slot (wrk truncates to whole ms)
    local t = now_ms()
    if next_at == nil or next_at < t - 1000 then next_at = t end
    next_at = next_at + interval
    local d = next_at - t
    if d < 0 then return 0 end
    return d
  end
end

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
