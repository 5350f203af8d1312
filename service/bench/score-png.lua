-- wrk script: every request POSTs the same single 32x32 PNG to /api/v1/score.
-- The PNG path comes from the environment (run.sh fetches one from the service itself).
local path = os.getenv("SCORE_PNG")
local file = assert(io.open(path, "rb"), "cannot open SCORE_PNG=" .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "image/png"

-- count non-2xx answers so that a fast stream of errors is never mistaken for throughput
local errors = 0
function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
