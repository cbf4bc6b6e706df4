using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

/// <summary>The chat's tables (see migrations 20261121300000_CreateChat and AddChatRoomLog).</summary>
internal static class ChatModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ChatAccount>(account =>
        {
            account.ToTable("ChatAccounts");
            account.HasKey(a => a.Username);
            account.Property(a => a.PasswordHash).IsRequired();
        });

        modelBuilder.Entity<ChatBlock>(block =>
        {
            block.ToTable("ChatBlocks");
            block.HasKey(b => new { b.Blocker, b.Blocked });
        });

        modelBuilder.Entity<ChatOfflineMessage>(message =>
        {
            message.ToTable("ChatOfflineMessages");
            message.Property(m => m.Id).ValueGeneratedOnAdd();
            message.HasIndex(m => m.Recipient);
        });

        modelBuilder.Entity<ChatRoomLine>(line =>
        {
            line.ToTable("ChatRoomLines");
            line.Property(l => l.Id).ValueGeneratedOnAdd();
        });
    }
}
