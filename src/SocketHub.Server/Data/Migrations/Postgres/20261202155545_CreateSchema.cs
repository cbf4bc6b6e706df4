using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SocketHub.Server.Data.Migrations.Postgres
{
    /// <summary>
    /// The whole schema on PostgreSQL, from <c>dotnet ef migrations add --context PostgresSocketHubDb</c>:
    /// the same tables as SQLite's first three migrations. A new database starts with message 1,
    /// "Server has Started", as the original board did (added by hand, in the same transaction).
    /// </summary>
    public partial class CreateSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BoardMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Text = table.Column<string>(type: "text", nullable: false),
                    PostedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Poster = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BoardMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatAccounts",
                columns: table => new
                {
                    Username = table.Column<string>(type: "text", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Logons = table.Column<long>(type: "bigint", nullable: false),
                    Logoffs = table.Column<long>(type: "bigint", nullable: false),
                    MessagesSent = table.Column<long>(type: "bigint", nullable: false),
                    BroadcastsSent = table.Column<long>(type: "bigint", nullable: false),
                    FailedLogins = table.Column<long>(type: "bigint", nullable: false),
                    LastLoginAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastLoginAddress = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAccounts", x => x.Username);
                });

            migrationBuilder.CreateTable(
                name: "ChatBlocks",
                columns: table => new
                {
                    Blocker = table.Column<string>(type: "text", nullable: false),
                    Blocked = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatBlocks", x => new { x.Blocker, x.Blocked });
                });

            migrationBuilder.CreateTable(
                name: "ChatOfflineMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Recipient = table.Column<string>(type: "text", nullable: false),
                    Sender = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatOfflineMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HistoryLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Text = table.Column<string>(type: "text", nullable: false),
                    LoggedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HistoryLines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HistoryUsers",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HistoryUsers", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChatOfflineMessages_Recipient",
                table: "ChatOfflineMessages",
                column: "Recipient");

            migrationBuilder.Sql(
                "INSERT INTO \"BoardMessages\" (\"Text\", \"PostedAt\", \"Poster\") VALUES ('Server has Started', now(), NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BoardMessages");

            migrationBuilder.DropTable(
                name: "ChatAccounts");

            migrationBuilder.DropTable(
                name: "ChatBlocks");

            migrationBuilder.DropTable(
                name: "ChatOfflineMessages");

            migrationBuilder.DropTable(
                name: "HistoryLines");

            migrationBuilder.DropTable(
                name: "HistoryUsers");
        }
    }
}
