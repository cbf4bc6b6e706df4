using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Data;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Chat;

/// <summary>How accounts are stored: hashes, their upgrade, the credentials file, bad settings.</summary>
public sealed class ChatAccountsTests
{
    private static async Task<string> StoredHashAsync(TestServer server, string user)
    {
        var contexts = server.App.Services.GetRequiredService<IDbContextFactory<SocketHubDb>>();
        await using var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.ChatAccounts.Where(a => a.Username == user).Select(a => a.PasswordHash).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The iteration count in ASP.NET Core Identity's V3 hash format (big-endian, after the format byte and PRF).</summary>
    private static int Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
    }

    [Fact]
    public async Task Raising_the_iteration_count_upgrades_a_hash_at_its_next_login()
    {
        using var data = new TempDirectory();
        string before;
        await using (var server = await TestServer.StartInAsync(data.Path, "Chat:PasswordIterations=1000"))
        {
            await TextChatUser.RegisterAsync(server, "alice", "s3cret");
            before = await StoredHashAsync(server, "alice");
            Assert.Equal(1000, Iterations(before));
            Assert.DoesNotContain("s3cret", before, StringComparison.Ordinal);
        }

        await using (var server = await TestServer.StartInAsync(data.Path, "Chat:PasswordIterations=2000"))
        {
            await TextChatUser.RegisterAsync(server, "alice", "s3cret");
            var after = await StoredHashAsync(server, "alice");
            Assert.Equal(2000, Iterations(after));
            await TextChatUser.RegisterAsync(server, "alice", "s3cret");
        }
    }

    [Fact]
    public async Task Bad_credentials_lines_are_logged_by_number_without_their_password()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "credentials.txt");
        await File.WriteAllTextAsync(file, "ok_user pw-one\nbad:name pw-two\nthree words pw-three\nok_user pw-four\n", TestContext.Current.CancellationToken);
        await using (var server = await TestServer.StartInAsync(data.Path, ChatTestSettings.With($"Chat:CredentialsFile={file}")))
        {
            await TextChatUser.RegisterAsync(server, "ok_user", "pw-one");
        }

        var log = string.Concat(Directory.GetFiles(Path.Combine(data.Path, "logs")).Select(File.ReadAllText));
        Assert.Contains("line 2: the username must be", log, StringComparison.Ordinal);
        Assert.Contains("line 3: expected a username and a password", log, StringComparison.Ordinal);
        Assert.Contains("line 4: the username appears on an earlier line", log, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credentials_file_that_does_not_exist_stops_the_server_naming_the_key()
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(
            () => TestServer.StartInAsync(data.Path, "Chat:CredentialsFile=/nonexistent/credentials.txt"));
        Assert.Contains("Chat:CredentialsFile", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Chat:Port=70000", "Chat:Port")]
    [InlineData("Chat:LineBurst=0", "Chat:LineBurst")]
    [InlineData("Chat:OutgoingQueueLimit=1", "Chat:OutgoingQueueLimit")]
    [InlineData("Chat:OutgoingQueueBytes=1000", "Chat:OutgoingQueueBytes")]
    [InlineData("Chat:PasswordIterations=0", "Chat:PasswordIterations")]
    [InlineData("Chat:TimeoutSeconds=0", "Chat:TimeoutSeconds")]
    [InlineData("Chat:LoginAttemptsPerMinute=-1", "Chat:LoginAttemptsPerMinute")]
    [InlineData("Chat:RegistrationsPerHour=-1", "Chat:RegistrationsPerHour")]
    [InlineData("Chat:MaxAccounts=-1", "Chat:MaxAccounts")]
    public async Task Bad_chat_settings_stop_the_server_naming_the_key(string setting, string key)
    {
        using var data = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => TestServer.StartInAsync(data.Path, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
