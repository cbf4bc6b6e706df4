using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

/// <summary>The chat's tables (see migration 20261121300000_CreateChat).</summary>
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
    }
}
