using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SocketHub.Protocol.Chat;
using SocketHub.Server.Chat;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>
/// Each session's outgoing queue, bounded in bytes and never below a room burst: a burst from the
/// whole room fits the queue of a reader whose writer has not run at all, and is then delivered
/// whole; a reader that stopped is cut off once more than that waits. The room and its sessions
/// run on in-memory pipes, and "has not run yet" is a writer not started, so nothing here depends
/// on how the thread pool schedules the writers.
/// </summary>
public sealed class ChatQueueTests : IDisposable
{
    private const int Users = 20;

    // The longest line the text port reads: "broadcast " and 1,014 bytes of text.
    private static readonly string LongText = new('x', ChatFraming.MaxLineBytes - "broadcast ".Length);

    // The least bytes the setting allows: one burst of long lines from 20 users is ten times more.
    private readonly ChatSettings _settings = new() { OutgoingQueueBytes = ChatQueueLimit.MinimumBytes };
    private readonly List<ChatSession> _sessions = [];

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }
    }

    [Fact]
    public async Task A_burst_from_the_whole_room_fits_a_reader_whose_writer_has_not_run_and_arrives_whole()
    {
        var room = new ChatRoom(TimeProvider.System, _settings);
        var users = Enumerable.Range(0, Users).Select(i => Enter(room, $"u{i:00}")).ToList();

        // Everyone sends the whole burst flood control allows, at once, of the longest lines.
        Burst(room);

        Assert.All(users, session => Assert.False(session.Overflowed));
        var expected = (Users - 1) * _settings.LineBurst;
        Assert.True(expected * LongText.Length > _settings.OutgoingQueueBytes, "the burst is more than the bytes limit alone lets wait");

        var pipes = users.Select(session => Start(session)).ToList();
        var counts = await Task.WhenAll(pipes.Select(pipe => CountBroadcastsAsync(pipe.Reader, expected)));
        Assert.All(counts, count => Assert.Equal(expected, count));
        Assert.All(users, session => Assert.False(session.Overflowed));
    }

    [Fact]
    public async Task A_reader_that_stopped_is_cut_off_within_the_next_burst_while_readers_that_keep_up_are_not()
    {
        var room = new ChatRoom(TimeProvider.System, _settings);
        var stopped = Enter(room, "stopped");
        var reading = Enter(room, "reading");
        var senders = Enumerable.Range(0, Users - 2).Select(i => Enter(room, $"u{i:00}")).ToList();

        // "stopped" takes nothing (its writer never runs); every other user reads each burst
        // whole before the next one is sent.
        var readers = senders.Select(session => (Session: session, Pipe: Start(session), PerBurst: (senders.Count - 1) * _settings.LineBurst))
            .Append((Session: reading, Pipe: Start(reading), PerBurst: senders.Count * _settings.LineBurst))
            .ToList();

        Burst(room);
        Assert.False(stopped.Overflowed);
        await Task.WhenAll(readers.Select(async r => Assert.Equal(r.PerBurst, await CountBroadcastsAsync(r.Pipe.Reader, r.PerBurst))));

        Burst(room);
        Assert.True(stopped.Overflowed);
        await WhenCancelledAsync(stopped.Killed);
        await Task.WhenAll(readers.Select(async r => Assert.Equal(r.PerBurst, await CountBroadcastsAsync(r.Pipe.Reader, r.PerBurst))));
        Assert.DoesNotContain(readers, r => r.Session.Overflowed);
    }

    [Fact]
    public void In_a_room_of_two_a_reader_that_stopped_is_cut_off_after_the_bytes_limit()
    {
        var settings = new ChatSettings { OutgoingQueueBytes = 64 * 1024 };
        var room = new ChatRoom(TimeProvider.System, settings);
        var stopped = Enter(room, "stopped");
        Enter(room, "sender");
        var cost = new ChatSharedLine(ChatEvent.Broadcast("sender", LongText)).Cost;
        var fit = (int)(settings.OutgoingQueueBytes / cost);
        var burstLines = room.QueueLimit.BurstLines;
        Assert.True(fit > burstLines, "in a room of two the bytes limit is the larger");

        var sent = 0;
        while (!stopped.Overflowed && sent <= fit + 1)
        {
            room.Broadcast("sender", LongText);
            sent++;
        }

        // The bytes that fit (the welcome and its presence line took a little), then the next disconnects.
        Assert.True(stopped.Overflowed);
        Assert.InRange(sent, fit - 1, fit + 1);
    }

    /// <summary>Every sender (the users named u..) broadcasts <c>Chat:LineBurst</c> of the longest lines, one after the other.</summary>
    private void Burst(ChatRoom room)
    {
        foreach (var user in room.OnlineUsers())
        {
            if (user.StartsWith('u'))
            {
                for (var i = 0; i < _settings.LineBurst; i++)
                {
                    room.Broadcast(user, LongText);
                }
            }
        }
    }

    private ChatSession Enter(ChatRoom room, string user)
    {
        var session = new ChatSession(new DefaultConnectionContext(), ChatDialect.Text, "127.0.0.1", room.QueueLimit);
        _sessions.Add(session);
        Assert.True(room.TryEnter(session, user, ChatWelcome.For(user, [])));
        session.EnteredAs(user);
        return session;
    }

    private static Pipe Start(ChatSession session)
    {
        var pipe = new Pipe();
        session.StartWriter(pipe.Writer);
        return pipe;
    }

    /// <summary>Reads until <paramref name="expected"/> broadcast lines have arrived; returns how many did (more only if more were sent).</summary>
    private static async Task<int> CountBroadcastsAsync(PipeReader reader, int expected)
    {
        var count = 0;
        while (count < expected)
        {
            var result = await reader.ReadAsync(TestContext.Current.CancellationToken);
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, end));
                if (line.Contains(" (broadcast): ", StringComparison.Ordinal))
                {
                    Assert.EndsWith(LongText, line, StringComparison.Ordinal);
                    count++;
                }

                buffer = buffer.Slice(buffer.GetPosition(1, end));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        return count;
    }

    private static Task WhenCancelledAsync(CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => done.TrySetResult());
        return done.Task.WaitAsync(TestContext.Current.CancellationToken);
    }
}
