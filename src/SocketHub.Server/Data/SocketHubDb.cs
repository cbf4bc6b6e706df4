using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

/// <summary>The one database every dialect shares. Handlers are singletons: they use
/// <see cref="IDbContextFactory{TContext}"/> and one short-lived context per unit of work.
/// This type is the SQLite context (its migrations are in Data/Migrations); PostgreSQL uses
/// <see cref="PostgresSocketHubDb"/>, the same model with its own migrations.</summary>
public class SocketHubDb : DbContext
{
    public SocketHubDb(DbContextOptions<SocketHubDb> options)
        : base(options)
    {
    }

    /// <summary>For a provider's derived context, whose options are typed for itself.</summary>
    protected SocketHubDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<BoardMessage> BoardMessages => Set<BoardMessage>();

    public DbSet<HistoryLine> HistoryLines => Set<HistoryLine>();

    public DbSet<HistoryUser> HistoryUsers => Set<HistoryUser>();

    public DbSet<ChatAccount> ChatAccounts => Set<ChatAccount>();

    public DbSet<ChatBlock> ChatBlocks => Set<ChatBlock>();

    public DbSet<ChatOfflineMessage> ChatOfflineMessages => Set<ChatOfflineMessage>();

    public DbSet<ChatRoomLine> ChatRoomLines => Set<ChatRoomLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BoardMessage>(message =>
        {
            message.ToTable("BoardMessages");
            message.Property(m => m.Id).ValueGeneratedOnAdd();
            message.Property(m => m.Text).IsRequired();
        });

        modelBuilder.Entity<HistoryLine>(line =>
        {
            line.ToTable("HistoryLines");
            line.Property(l => l.Id).ValueGeneratedOnAdd();
            line.Property(l => l.Text).IsRequired();
        });

        modelBuilder.Entity<HistoryUser>(user =>
        {
            user.ToTable("HistoryUsers");
            user.HasKey(u => u.Name);
        });
        ChatModel.Configure(modelBuilder);
    }
}
