#!/usr/bin/env bash
# Checks the instructor's page (GET / on the ops port) in a real headless browser.
#
#   scripts/check-instructor-page.sh [screenshot.png]
#
# Installs Debian's chromium if it is missing (apt-get, needs root), builds the server, starts it
# on free ports with a temporary data folder, makes some activity (a board post carrying markup,
# a chat user who stays online, one who broadcasts and leaves, a wrong password), lets chromium
# run the page's script, and checks the rendered DOM shows what /audit says. Then it starts a
# second server with Ops:AuditToken set and checks the page asks for the token. Takes
# screenshots (default /tmp/sockethub-instructor-page.png and ...-token.png) and stops only the
# servers it started.
# Exits non-zero with a message on the first failure. Not part of .ci/run: CI has no chromium.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
screenshot="${1:-/tmp/sockethub-instructor-page.png}"
work="$(mktemp -d /tmp/sockethub-page-check.XXXXXX)"
pids=()

fail() { echo "FAIL: $*" >&2; exit 1; }

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v chromium >/dev/null; then
  echo "Installing chromium (Debian package)..."
  command -v apt-get >/dev/null || fail "chromium is missing and apt-get is not available: install chromium first"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null \
    || fail "apt-get install chromium failed (run as root, or after apt-get update)"
fi
command -v python3 >/dev/null || fail "python3 is needed for the chat client"

echo "Building the server..."
dotnet build "$root/src/SocketHub.Server" -c Debug -o "$work/bin" -v quiet -nologo >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; fail "the server does not build"; }

# Starts a server on free ports in its own data folder; sets $log and $ops_port.
start_server() {
  local name="$1"; shift
  log="$work/$name.log"
  dotnet "$work/bin/SocketHub.Server.dll" \
    --Storage:DataDirectory="$work/$name-data" --Listen:Address=127.0.0.1 \
    --Ops:Port=0 --Board:Port=0 --History:Port=0 --Crypto:Port=0 --Chat:Port=0 --Chat:JsonPort=0 \
    --Chat:PasswordIterations=1000 "$@" >"$log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 150); do
    grep -q "SocketHub started" "$log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log" >&2; fail "the $name server stopped while starting"; }
    sleep 0.2
  done
  grep -q "SocketHub started" "$log" || { cat "$log" >&2; fail "the $name server did not start in 30 s"; }
  ops_port="$(port_of ops)"
}

port_of() { sed -n "s/.* $1 listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p" "$log" | head -1; }

browse() { # url, then extra chromium arguments
  local url="$1"; shift
  timeout 60 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/chromium" \
    --virtual-time-budget=5000 "$@" "$url" 2>>"$work/chromium.log"
}

# --- 1. The figures, rendered -------------------------------------------------------------
start_server open
board_port="$(port_of board)"
chat_port="$(port_of chat)"
echo "Server up: ops $ops_port, board $board_port, chat $chat_port"

# A board post whose text is markup: the page must show it as text, never as an element.
exec 3<>"/dev/tcp/127.0.0.1/$board_port"
printf 'POST<img src=x onerror=alert(1)> hello from the check%%' >&3
IFS= read -r -d '%' reply <&3 || true
exec 3>&-
[[ "$reply" == "MSGPosting Message!" ]] || fail "the board did not take the post (reply: '$reply')"

# ada logs in and stays online while the browser looks; grace logs in, broadcasts, logs out,
# then gets her password wrong once.
python3 - "$chat_port" "$work/chat-ready" >"$work/chat.log" 2>&1 <<'PY' &
import socket, sys, time
port, ready = int(sys.argv[1]), sys.argv[2]

def read_until(s, marker):
    data = b""
    while marker not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit(f"closed while waiting for {marker!r}; got {data!r}")
        data += chunk
    return data.decode()

def login(user, password, expect="Welcome"):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    read_until(s, b"Username: ")
    s.sendall(f"{user}\r\n".encode())
    read_until(s, b"Password: ")
    s.sendall(f"{password}\r\n".encode())
    print(user, read_until(s, expect.encode()).strip(), flush=True)
    return s

ada = login("ada", "lovelace")
grace = login("grace", "hopper")
grace.sendall(b"broadcast hello from grace\r\n")
read_until(ada, b"hello from grace")
grace.sendall(b"logout\r\n")
read_until(grace, b"Goodbye.")
grace.close()
login("grace", "wrong", expect="Invalid Password").close()
open(ready, "w").close()
ada.settimeout(None)
time.sleep(300)  # stopped by the script once the browser has looked
PY
pids+=("$!")
for _ in $(seq 1 100); do [[ -e "$work/chat-ready" ]] && break; sleep 0.1; done
[[ -e "$work/chat-ready" ]] || { cat "$work/chat.log" >&2; fail "the chat client could not log in"; }

curl -fsS "http://127.0.0.1:$ops_port/audit" >"$work/audit.json" || fail "/audit does not answer"
browse "http://127.0.0.1:$ops_port/" --dump-dom >"$work/page.html" || fail "chromium could not load the page"
browse "http://127.0.0.1:$ops_port/" --window-size=1400,1500 --hide-scrollbars --screenshot="$screenshot" \
  >/dev/null || fail "chromium could not take the screenshot"

python3 - "$work/page.html" "$work/audit.json" <<'PY' || fail "the rendered page does not show the figures (DOM kept above)"
import html.parser, json, sys

dom = open(sys.argv[1], encoding="utf-8").read()
audit = json.load(open(sys.argv[2], encoding="utf-8"))

class Texts(html.parser.HTMLParser):
    """Text of each element with an id; tags seen; whether an element is hidden."""
    def __init__(self):
        super().__init__()
        self.stack, self.text, self.hidden, self.tags = [], {}, {}, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in ("br", "img", "input", "link", "meta"):
            return
        self.stack.append(a.get("id"))
        if a.get("id"):
            self.text[a["id"]] = ""
            self.hidden[a["id"]] = "hidden" in a
    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "img", "input", "link", "meta"):
            self.stack.pop()
    def handle_data(self, data):
        for i in self.stack:
            if i:
                self.text[i] += data

page = Texts()
page.feed(dom)
problems = []
def expect(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        problems.append(what)

t = page.text
expect(t.get("updated", "never") != "never", f"'last updated' is set ({t.get('updated')!r})")
expect(page.hidden.get("banner", False), "no error banner")
expect("ada" in t.get("online", ""), f"ada is in the online list ({t.get('online')!r})")
expect("grace" not in t.get("online", ""), "grace, logged out, is not")
expect(t.get("online-count") == "1", f"online count is 1 ({t.get('online-count')!r})")
expect(t.get("board-messages") == str(audit["board"]["messages"]),
       f"board messages {t.get('board-messages')!r} = /audit's {audit['board']['messages']}")
expect(t.get("chat-failed") == str(audit["chat"]["failedLogins"]) == "1",
       f"failed chat logins {t.get('chat-failed')!r} = /audit's {audit['chat']['failedLogins']}")
for d in audit["dialects"]:
    expect(d["name"] in t.get("dialects", ""), f"dialect row {d['name']}")
accounts = t.get("accounts", "")
expect("ada" in accounts and "grace" in accounts, "both chat accounts are listed")
expect("127.0.0.1" in accounts, "last login address shown")
recent = t.get("recent", "")
expect("ada logged in from 127.0.0.1" in recent, "activity: ada's login")
expect("grace logged out" in recent, "activity: grace's logout")
expect("<img src=x onerror=alert(1)> hello from the check" in recent, "activity: the board post, as text")
expect(recent.find("grace logged out") < recent.find("ada logged in"), "activity is newest first")
expect("img" not in page.tags, "the post's markup did not become an element")
if problems:
    print(dom, file=sys.stderr)
    sys.exit(1)
PY

# --- 2. With a token, the page asks for it ------------------------------------------------
start_server token --Ops:AuditToken=check-secret
echo "Token server up: ops $ops_port"
browse "http://127.0.0.1:$ops_port/" --dump-dom >"$work/token.html" || fail "chromium could not load the token page"
browse "http://127.0.0.1:$ops_port/" --window-size=1400,700 --hide-scrollbars --screenshot="${screenshot%.png}-token.png" \
  >/dev/null || fail "chromium could not take the token screenshot"
python3 - "$work/token.html" <<'PY' || fail "the page does not ask for the token on 401"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
form = re.search(r'<form id="token-form"[^>]*>', dom)
banner = re.search(r'<div id="banner"[^>]*>(.*?)</div>', dom, re.S)
ok = form and "hidden" not in form.group(0) and banner and "hidden" not in banner.group(0) \
    and "Send the audit token" in banner.group(1)
print(("ok   " if ok else "FAIL ") + "token field shown, banner: " + (banner.group(1) if banner else "none"))
sys.exit(0 if ok else 1)
PY

echo "PASS: the instructor's page renders the figures; screenshots: $screenshot, ${screenshot%.png}-token.png"
