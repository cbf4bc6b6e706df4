using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SocketHub.Server.Data.Migrations;

/// <summary>Chat accounts (with their statistics), blocks and offline messages. Written by hand (see CreateBoard).</summary>
[DbContext(typeof(SocketHubDb))]
[Migration("20261121300000_CreateChat")]
public sealed class CreateChat : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ChatAccounts",
            columns: table => new
            {
                Username = table.Column<string>(type: "TEXT", nullable: false),
                PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                Logons = table.Column<long>(type: "INTEGER", nullable: false),
                Logoffs = table.Column<long>(type: "INTEGER", nullable: false),
                MessagesSent = table.Column<long>(type: "INTEGER", nullable: false),
                BroadcastsSent = table.Column<long>(type: "INTEGER", nullable: false),
                FailedLogins = table.Column<long>(type: "INTEGER", nullable: false),
                LastLoginAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                LastLoginAddress = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ChatAccounts", x => x.Username));

        migrationBuilder.CreateTable(
            name: "ChatBlocks",
            columns: table => new
            {
                Blocker = table.Column<string>(type: "TEXT", nullable: false),
                Blocked = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ChatBlocks", x => new { x.Blocker, x.Blocked }));

        migrationBuilder.CreateTable(
            name: "ChatOfflineMessages",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                Recipient = table.Column<string>(type: "TEXT", nullable: false),
                Sender = table.Column<string>(type: "TEXT", nullable: false),
                Text = table.Column<string>(type: "TEXT", nullable: false),
                SentAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ChatOfflineMessages", x => x.Id));

        migrationBuilder.CreateIndex(
            name: "IX_ChatOfflineMessages_Recipient",
            table: "ChatOfflineMessages",
            column: "Recipient");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "ChatOfflineMessages");
        migrationBuilder.DropTable(name: "ChatBlocks");
        migrationBuilder.DropTable(name: "ChatAccounts");
    }
}
