-- wrk script: POST /api/devices with a small JSON body, spread over N tenants.
--   wrk -t1 -c32 -d15s --latency -s bench/lua/writes.lua http://127.0.0.1:18090
-- Env: BENCH_TENANTS (default 1000), BENCH_PATH (default /api/devices).
-- Each tenant gets its own pre-built request (tenant header and a device id in
-- the body); used round-robin.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local tenants = common.env_number("BENCH_TENANTS", 1000)
local path = os.getenv("BENCH_PATH") or "/api/devices"

local reqs = {}
local n = 0

function init(args)
  for i = 1, tenants do
    local body = string.format(
      '{"id":"dev-%d","name":"sensor-%d","type":"thermo"}', i, i)
    reqs[i] = wrk.format("POST", path, {
      ["X-Tenant-Id"] = "tenant-" .. i,
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
    }, body)
  end
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
