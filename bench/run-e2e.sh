#!/usr/bin/env bash
# End-to-end benchmarks of a Release build on this machine: each starts its own server with
# every port moved by a random offset (Listen:PortOffset, 10000-19999) and a fresh data directory, runs the load, prints the
# figures and the load average, and stops only the server it started.
#
#   bench/run-e2e.sh build       # Release builds of server and client (the others assume it)
#   bench/run-e2e.sh board       # sockethub load board, 32 connections, 10 s (after a 5 s warm-up)
#   bench/run-e2e.sh history     # sockethub load history, 16 connections, 10 s (after a warm-up), no rate limit
#   bench/run-e2e.sh crypto      # sockethub load crypto, 16 connections, 10 s (after a warm-up)
#   bench/run-e2e.sh chat100     # sockethub load chat, 100 users (JSON dialect), 10 s; RATE=n per user (4)
#   bench/run-e2e.sh chat1000 [rate]  # sockethub load chat, 1,000 users, 10 s, rate per user (0.25)
#   bench/run-e2e.sh idle        # VmRSS with 10,000 idle board connections
#   bench/run-e2e.sh startup     # process start to /health/ready = 200, 5 runs, median
#   bench/run-e2e.sh board-goals # the board's goals in one summary line: bench/board_posts.py keep-open
#                                # and connect-per-post (32 clients, 10 s, twice each), idle KB per
#                                # connection (10,000), start ms (5 runs)
#   bench/run-e2e.sh board-posts # only the posting part of board-goals
#   bench/run-e2e.sh profile-board [connect]   # perf profile of the server under the board load
#   bench/run-e2e.sh vs-ncat [clients] [rate]   # chat room vs ncat --broker --chat, same load (100, 5):
#                                # one summary line, SocketHub/ncat: CPU ratio, CPU µs per delivery, p99
#                                # (STAGGER=1 spreads the clients' lines, WARMUP=15 s, SECONDS_RUN=10, SERVER_ARGS=...)
#   bench/run-e2e.sh profile-chat [clients] [rate]   # perf profile of the server under that chat load
#   bench/run-e2e.sh vs-python-fernet   # crypto port vs a tiny Python Fernet TCP server, same client
#   bench/run-e2e.sh cluster [duration]   # three nodes behind HAProxy on PostgreSQL and Redis
#                                # (bench/cluster_scenario.py): 300 users broadcasting across nodes,
#                                # a node killed at 1/3, Redis restarted at 2/3, then 1,000 double
#                                # logins and the per-address limit (duration 90 s; ARGS=... adds options)
#   bench/run-e2e.sh all         # every one of the above in turn
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER_SET=${SERVER:+1}
SERVER=${SERVER:-src/SocketHub.Server/bin/Release/net10.0/SocketHub.Server.dll}   # SERVER=<dll> runs another build
CLIENT=src/SocketHub.Client/bin/Release/net10.0/sockethub.dll
# The default ports (appsettings.json), moved by the offset.
set_ports() {
    OFFSET=$1
    OPS=$((8088 + OFFSET)) BOARD=$((8080 + OFFSET)) HISTORY=$((5007 + OFFSET)) CRYPTO=$((8000 + OFFSET)) CHAT=$((12000 + OFFSET)) CHAT_JSON=$((12001 + OFFSET))
}
set_ports $(( 10000 + RANDOM % 10000 ))
SPARE=$((40000 + RANDOM % 10000))   # for the peers compared against (ncat, a Python server)
DATA=$(mktemp -d /tmp/sockethub-bench-XXXXXX)
PID=""
NCAT=""
PYFERNET=""

stop_server() {
    if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi
}
trap 'stop_server; for p in $NCAT $PYFERNET; do kill "$p" 2>/dev/null; done; rm -rf "$DATA"' EXIT

# start_server <extra settings...>: every listener of every dialect module at its default port
# plus $OFFSET, logs at Warning. A port some other program holds (the machine is shared) ends
# the server at once: then another offset is tried, three times at most.
start_server() {
    for attempt in 1 2 3; do
        dotnet "$SERVER" --Storage:DataDirectory="$DATA" --Listen:PortOffset=$OFFSET \
            --Serilog:MinimumLevel:Default=Warning "$@" >"$DATA/server.log" 2>&1 &
        PID=$!
        for _ in $(seq 600); do
            if curl -fs "http://127.0.0.1:$OPS/health/ready" >/dev/null; then return; fi
            if ! kill -0 "$PID" 2>/dev/null; then break; fi
            sleep 0.1
        done
        if kill -0 "$PID" 2>/dev/null || ! grep -q "another program already uses it" "$DATA/server.log"; then break; fi
        wait "$PID" 2>/dev/null || true
        PID=""
        set_ports $(( 10000 + RANDOM % 10000 ))
    done
    echo "server not ready; log:" >&2; cat "$DATA/server.log" >&2; exit 1
}

# CPU seconds (user + system) a process has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$PID/status"; }
load_avg() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
client() { dotnet "$CLIENT" "$@" | grep -E '^(summary|hint):'; }


# board_run <args of bench/board_posts.py...>: one run against $BOARD, the load average beside it;
# prints the script's lines and keeps its result line in $RESULT.
board_run() {
    local before; before=$(cut -d' ' -f1 /proc/loadavg)
    python3 bench/board_posts.py --port $BOARD --pid $PID "$@" >"$DATA/board.out"
    grep -v '^result' "$DATA/board.out"
    RESULT="$(grep '^result' "$DATA/board.out") load=$before-$(cut -d' ' -f1 /proc/loadavg)"
    echo "$RESULT"
}

# measure_posts: bench/board_posts.py against one server, after a warm-up: keep-open and
# connect-per-post, 32 clients, 10 s, twice each (KEEP and CONNECT hold the result lines).
measure_posts() {
    ulimit -n "$(ulimit -Hn)"
    start_server --Board:PostsPerSecond=1000000 --Board:PostBurst=1000000
    python3 bench/board_posts.py --port $BOARD --clients 32 --seconds 5 >/dev/null   # warm-up (JIT tiering)
    python3 bench/board_posts.py --port $BOARD --clients 32 --seconds 3 --connect-per-post >/dev/null
    KEEP=(); CONNECT=()
    for run in 1 2; do
        board_run --clients 32 --seconds 10; KEEP+=("$RESULT")
        board_run --clients 32 --seconds 10 --connect-per-post; CONNECT+=("$RESULT")
    done
    stop_server
}

# measure_idle: VmRSS before and with 10,000 idle board connections; IDLE_KB is the difference
# per connection.
measure_idle() {
    ulimit -n "$(ulimit -Hn)"   # 20,000 in this container; 10,000 connections need about that many
    start_server --Limits:ConnectionsPerAddress=20000 --Board:IdleTimeoutSeconds=600
    local before; before=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
    echo "server VmRSS before: $before kB"
    rm -f "$DATA/ready"
    python3 bench/idle_connections.py --port $BOARD --count 10000 --hold 30 --ready-file "$DATA/ready" &
    local script=$!
    while [[ ! -e "$DATA/ready" ]] && kill -0 $script 2>/dev/null; do sleep 0.2; done
    sleep 5
    local with; with=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
    echo "server VmRSS with 10,000 idle connections: $with kB ($(ls /proc/$PID/fd | wc -l) descriptors)"
    wait $script
    IDLE_KB=$(awk -v a="$before" -v b="$with" 'BEGIN { printf "%.1f", (b - a) / 10000 }')
    echo "idle: $IDLE_KB KB per connection ($(load_avg))"
    stop_server
}

case "${1:-}" in
build)
    dotnet build -c Release src/SocketHub.Server
    dotnet build -c Release src/SocketHub.Client
    ;;
board)
    start_server --Board:PostsPerSecond=1000000 --Board:PostBurst=1000000
    client load board --port $BOARD -c 32 -d 5 >/dev/null || true   # warm-up (JIT tiering)
    load_avg; client load board --port $BOARD -c 32 -d 10; echo "server VmRSS: $(rss)"
    ;;
history)
    start_server --History:RequestsPerSecond=1000000 --History:RequestBurst=1000000
    client load history --port $HISTORY -c 16 -d 5 >/dev/null || true   # warm-up (JIT tiering)
    load_avg; client load history --port $HISTORY -c 16 -d 10; echo "server VmRSS: $(rss)"
    ;;
crypto)
    start_server
    client load crypto --port $CRYPTO -c 16 -d 5 >/dev/null || true
    load_avg; client load crypto --port $CRYPTO -c 16 -d 10; echo "server VmRSS: $(rss)"
    ;;
chat100)
    # 1000 iterations: 100 logins in about a second instead of half a minute. The JSON port
    # spaces objects to one client 20 ms apart by default (50 a second); 400 broadcasts a second
    # need that off.
    start_server --Chat:PasswordIterations=1000 --Chat:LinesPerSecond=1000 --Chat:LineBurst=1000 --Chat:JsonObjectGapMilliseconds=0
    load_avg; BEFORE=$(cpu $PID)
    client load chat --port $CHAT_JSON -c 100 -d 10 --login-concurrency 8 ${RATE:+--rate $RATE}
    echo "server: $(echo "$(cpu $PID) - $BEFORE" | bc) CPU s during the run (logins included), VmRSS $(rss)"
    ;;
chat1000)
    # 1,000 users from one address: the per-address connection limit (200) is raised.
    ulimit -n "$(ulimit -Hn)"   # 20,000 in this container; 10,000 connections need about that many
    # The client starts every user on the same tick, so each tick 1,000 lines fan out at once: the
    # outgoing queue holds a room burst by itself (QUEUE=n adds a cap of n lines, as builds before
    # Chat:OutgoingQueueBytes needed: 4096 for this run).
    start_server --Chat:PasswordIterations=1000 --Limits:ConnectionsPerAddress=5000 ${QUEUE:+--Chat:OutgoingQueueLimit=$QUEUE} --Chat:JsonObjectGapMilliseconds=0
    # At the client's default 4 broadcasts a second each, 1,000 users offer 4,000,000 deliveries
    # a second: more than this machine delivers, so every queue overflows. Default: 0.25 each.
    load_avg; client load chat --port $CHAT_JSON -c 1000 -d 10 --login-concurrency 8 --rate "${2:-0.25}" || true
    echo "server VmRSS: $(rss)"; grep -c "queue" "$DATA/server.log" | sed 's/^/server log lines about full queues: /' || true
    ;;
idle)
    measure_idle
    ;;
startup)
    load_avg; python3 bench/startup_time.py --runs 5 --server "$SERVER"
    ;;
board-posts)
    measure_posts
    ;;
board-goals)
    # The board's goals (docs/benchmarks.md, "Board goals"), each measured twice, one summary line.
    measure_posts
    measure_idle
    load_avg; python3 bench/startup_time.py --runs 5 --server "$SERVER" | tee "$DATA/startup.out"
    START_MS=$(sed -n 's/^median=\([0-9]*\) ms.*/\1/p' "$DATA/startup.out")
    START_CPU_MS=$(sed -n 's/.*cpu_median=\([0-9]*\) ms.*/\1/p' "$DATA/startup.out")
    field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1" | grep . || echo "-"; }
    both() { echo "$(field "$1" "$3")/$(field "$2" "$3")"; }
    echo "summary: board keep-open posts/s=$(both "${KEEP[0]}" "${KEEP[1]}" posts_per_s) (goal >= 15000)" \
        "p99_ms=$(both "${KEEP[0]}" "${KEEP[1]}" p99_ms) (<= 10)" \
        "us/post=$(both "${KEEP[0]}" "${KEEP[1]}" server_us_per_post)" \
        "| connect-per-post posts/s=$(both "${CONNECT[0]}" "${CONNECT[1]}" posts_per_s) (>= 6000)" \
        "us/post=$(both "${CONNECT[0]}" "${CONNECT[1]}" server_us_per_post)" \
        "| idle KB/connection=$IDLE_KB (<= 8) | start ms=$START_MS (<= 1000, CPU $START_CPU_MS ms)" \
        "| load=$(field "${KEEP[0]}" load) $(field "${KEEP[1]}" load) $(cut -d' ' -f1-3 /proc/loadavg)"
    ;;
profile-board)
    # Where the server's CPU goes under the board load: perf's on-CPU samples of the server over
    # 8 s of a 12 s run of bench/board_posts.py (keep-open, or "connect": connect-per-post).
    MODE=(); [[ "${2:-}" == connect ]] && MODE=(--connect-per-post)
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 start_server --Board:PostsPerSecond=1000000 --Board:PostBurst=1000000 ${SERVER_ARGS:-}
    python3 bench/board_posts.py --port $BOARD --clients 32 --seconds 5 "${MODE[@]}" >/dev/null   # warm-up
    python3 bench/board_posts.py --port $BOARD --pid $PID --clients 32 --seconds 12 "${MODE[@]}" >"$DATA/load.out" &
    LOADER=$!
    sleep 3; load_avg
    perf record -F 999 -g -p $PID -o "${PERF_OUT:-/tmp/sockethub-board.perf}" -- sleep 8 >/dev/null 2>&1
    wait $LOADER || true
    cat "$DATA/load.out"
    perf report -i "${PERF_OUT:-/tmp/sockethub-board.perf}" --children --sort symbol -g none 2>/dev/null \
        | grep -v '^#' | grep -v '^$' | grep -v '\] 0x0000' | cut -c1-160 | head -${TOP:-60}
    echo "perf data: ${PERF_OUT:-/tmp/sockethub-board.perf} (the JIT's symbols are in /tmp/perf-$PID.map)"
    ;;
vs-ncat)
    # The same chat load (bench/chat_vs_ncat.py) on SocketHub's text chat and on ncat, one after
    # the other; CPU is each server's over the sending and draining only (not the logins).
    CLIENTS=${2:-100}; RATE=${3:-5}
    ulimit -n "$(ulimit -Hn)"   # 20,000 in this container; 1,000 clients need more than 1,024
    # Default flood control (5 lines a second, bursts of 10) when the rate allows it.
    FLOOD=(); if (( $(echo "$RATE > 5" | bc) )); then FLOOD=(--Chat:LinesPerSecond=1000 --Chat:LineBurst=1000); fi
    start_server --Chat:PasswordIterations=1000 --Limits:ConnectionsPerAddress=5000 "${FLOOD[@]}" ${SERVER_ARGS:-}
    ncat --broker --chat --listen --max-conns 5000 -p $SPARE >/dev/null 2>&1 &
    NCAT=$!
    sleep 0.5
    LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
    run_chat() {  # run_chat <target> <port> <pid>: prints the script's lines, keeps its result line
        # (none when the run failed: ncat, for one, refuses clients past its select()'s 1,024 descriptors)
        python3 bench/chat_vs_ncat.py --target "$1" --port "$2" --pid "$3" --clients "$CLIENTS" --rate "$RATE" \
            --seconds "${SECONDS_RUN:-10}" --warmup "${WARMUP:-15}" ${STAGGER:+--stagger} 2>&1 | tee "$DATA/$1.out" | grep -v "^result" | tail -5 >&2 || true
        grep '^result' "$DATA/$1.out" || echo "result target=$1 failed"
    }
    SH=$(run_chat sockethub $CHAT $PID)
    grep -v '^\s*$' "$DATA/server.log" | cut -c1-200 | sort | uniq -c | sort -rn | head -3 || true
    NC=$(run_chat ncat $SPARE $NCAT)
    kill $NCAT 2>/dev/null || true; wait $NCAT 2>/dev/null || true; NCAT=""   # ncat may have ended by itself
    field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1" | grep . || echo "-"; }
    echo "summary: chat ${CLIENTS}x${RATE}/s$([[ -n "${STAGGER:-}" ]] && echo ' staggered')" \
        "cpu_ratio=$(awk -v a="$(field "$SH" cpu_s)" -v b="$(field "$NC" cpu_s)" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')" \
        "cpu_s=$(field "$SH" cpu_s)/$(field "$NC" cpu_s)" \
        "us_per_delivery=$(field "$SH" cpu_us_per_delivery)/$(field "$NC" cpu_us_per_delivery)" \
        "warmup_cpu_s=$(field "$SH" warmup_cpu_s)/$(field "$NC" warmup_cpu_s)" \
        "p99_ms=$(field "$SH" p99_ms)/$(field "$NC" p99_ms)" \
        "p50_ms=$(field "$SH" p50_ms)/$(field "$NC" p50_ms)" \
        "delivered_pct=$(field "$SH" delivered_pct)/$(field "$NC" delivered_pct)" \
        "sent_pct=$(field "$SH" sent_pct)/$(field "$NC" sent_pct)" \
        "disconnected=$(field "$SH" disconnected)/$(field "$NC" disconnected)" \
        "client_cpu_s=$(field "$SH" client_cpu_s)/$(field "$NC" client_cpu_s)" \
        "(sockethub/ncat) load=$LOAD_BEFORE-$(cut -d' ' -f1 /proc/loadavg) server=$(basename "$(dirname "$(readlink -f "$SERVER")")")"
    ;;
profile-chat)
    # Where the server's CPU goes under the chat load of vs-ncat: perf's on-CPU samples of the
    # server over 8 of the measured seconds (after the warm-up), with the JIT's symbols.
    CLIENTS=${2:-100}; RATE=${3:-5}
    ulimit -n "$(ulimit -Hn)"
    FLOOD=(); if (( $(echo "$RATE > 5" | bc) )); then FLOOD=(--Chat:LinesPerSecond=1000 --Chat:LineBurst=1000); fi
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 start_server --Chat:PasswordIterations=1000 \
        --Limits:ConnectionsPerAddress=5000 "${FLOOD[@]}" ${SERVER_ARGS:-}
    python3 bench/chat_vs_ncat.py --target sockethub --port $CHAT --pid $PID --clients "$CLIENTS" --rate "$RATE" \
        --seconds 10 --warmup "${WARMUP:-15}" --measuring-file "$DATA/measuring" >"$DATA/load.out" 2>&1 &
    LOADER=$!
    while [[ ! -e "$DATA/measuring" ]] && kill -0 $LOADER 2>/dev/null; do sleep 0.1; done
    load_avg
    perf record -F 999 -g -p $PID -o "${PERF_OUT:-/tmp/sockethub-chat.perf}" -- sleep 8 >/dev/null 2>&1
    wait $LOADER || true
    grep -v '^result' "$DATA/load.out"
    perf report -i "${PERF_OUT:-/tmp/sockethub-chat.perf}" --children --sort symbol -g none 2>/dev/null \
        | grep -v '^#' | grep -v '^$' | grep -v '\] 0x0000' | cut -c1-160 | head -${TOP:-40}
    echo "perf data: ${PERF_OUT:-/tmp/sockethub-chat.perf} (perf report -i ...; the JIT's symbols are in /tmp/perf-$PID.map)"
    ;;
cluster)
    # Its own nodes, Redis, HAProxy and PostgreSQL database (see the script's header); this
    # script's server and offset are not used. One publish of the server unless SERVER is set.
    ulimit -n "$(ulimit -Hn)"   # 1,000 double logins hold 2,000 connections at once
    DLL=(); [[ -n "${SERVER_SET:-}" ]] && DLL=(--dll "$SERVER")
    load_avg; python3 bench/cluster_scenario.py --duration "${2:-90}" "${DLL[@]}" ${ARGS:-}
    ;;
vs-python-fernet)
    # The same Python client (bench/crypto_roundtrips.py, 16 connections) against SocketHub's
    # crypto port and against bench/fernet_tcp_server.py.
    start_server
    python3 bench/fernet_tcp_server.py --port $SPARE &
    PYFERNET=$!
    sleep 1
    for port in $CRYPTO $SPARE; do
        name=$([[ $port == $CRYPTO ]] && echo sockethub || echo python)
        python3 bench/crypto_roundtrips.py --port $port --connections 16 --seconds 3 >/dev/null   # warm-up
        load_avg
        echo "$name #en#: $(python3 bench/crypto_roundtrips.py --port $port --connections 16 --seconds 8 | tail -1)"
        echo "$name #en#+#de#: $(python3 bench/crypto_roundtrips.py --port $port --connections 16 --seconds 8 --decrypt | tail -1)"
    done
    kill $PYFERNET; wait $PYFERNET 2>/dev/null || true; PYFERNET=""
    ;;
all)
    for b in board history crypto chat100 chat1000 idle startup vs-ncat vs-python-fernet; do echo "== $b"; "$0" "$b"; done
    ;;
*)
    sed -n '2,28p' "$0"; exit 2
    ;;
esac
