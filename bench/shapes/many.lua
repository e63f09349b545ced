local n = 0
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format("PUT", "/api/devices/d-" .. (n % 1000), nil, '{"n":' .. n .. '}')
end
