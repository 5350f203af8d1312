-- wrk script: every request POSTs the same body, read from the file in BODY, with the Content-Type in
-- CONTENT_TYPE and, for the Open Inference Protocol's binary data extension, the JSON header's length in
-- HEADER_LENGTH (sent as Inference-Header-Content-Length). run.sh writes the bodies.
local path = os.getenv("BODY")
local file = assert(io.open(path, "rb"), "cannot open BODY=" .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local header = os.getenv("HEADER_LENGTH")
if header and header ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header
end
