-- wrk script: every request POSTs the same single 32x32 PNG to /api/v1/score.
-- The PNG path comes from the environment (run.sh fetches one from the service itself).
-- No per-response Lua hook: run.sh fails the run on wrk's own "Non-2xx" line instead, which keeps
-- wrk's share of the two cores small.
local path = os.getenv("SCORE_PNG")
local file = assert(io.open(path, "rb"), "cannot open SCORE_PNG=" .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "image/png"
-- Optional credentials (bench/security.sh): AUTH_HEADER="Authorization: Bearer ..." or "X-API-Key: ..."
local auth = os.getenv("AUTH_HEADER")
if auth and auth ~= "" then
  local name, value = auth:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
