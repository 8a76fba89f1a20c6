using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxFaults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                schema: "intake",
                table: "outbox_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "contact_id",
                schema: "intake",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                schema: "intake",
                table: "outbox_messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                schema: "intake",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            // Rows still waiting keep their contact's order after the upgrade too.
            migrationBuilder.Sql("UPDATE intake.outbox_messages SET contact_id = (payload->>'contactId')::uuid WHERE sent_at IS NULL AND payload ? 'contactId'");

            migrationBuilder.CreateTable(
                name: "outbox_dead_letters",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    destination = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    dead_lettered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_dead_letters", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_waiting",
                schema: "intake",
                table: "outbox_messages",
                column: "contact_id",
                filter: "sent_at IS NULL AND next_attempt_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox_dead_letters",
                schema: "intake");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_waiting",
                schema: "intake",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "attempts",
                schema: "intake",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "contact_id",
                schema: "intake",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "last_error",
                schema: "intake",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                schema: "intake",
                table: "outbox_messages");
        }
    }
}
