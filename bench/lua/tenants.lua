-- wrk script: GET /api/devices/dev-1 spread over N tenants (X-Tenant-Id: tenant-1..N).
--   wrk -t1 -c32 -d15s --latency -s bench/lua/tenants.lua http://127.0.0.1:18090
-- Env: BENCH_TENANTS (default 1000), BENCH_PATH (default /api/devices/dev-1),
--      BENCH_CONNECTION_CLOSE=1 (every request on a new connection: `Connection: close`).
-- The requests are pre-built once per thread and used round-robin, so the script
-- costs wrk almost nothing per request; every tenant gets the same share.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local tenants = common.env_number("BENCH_TENANTS", 1000)
local path = os.getenv("BENCH_PATH") or "/api/devices/dev-1"
local close = os.getenv("BENCH_CONNECTION_CLOSE") == "1"

local reqs = {}
local n = 0

function init(args)
  for i = 1, tenants do
    local headers = { ["X-Tenant-Id"] = "tenant-" .. i, ["Accept"] = "application/json" }
    if close then headers["Connection"] = "close" end
    reqs[i] = wrk.format("GET", path, headers)
  end
  -- different threads start at different tenants
  n = math.random(0, tenants - 1)
end

function request()
  n = n + 1
  if n > tenants then n = 1 end
  return reqs[n]
end

function done(summary, latency, requests)
  common.report(summary, latency)
end
