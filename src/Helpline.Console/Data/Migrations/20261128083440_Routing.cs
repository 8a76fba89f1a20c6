using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "advisor_id",
                schema: "console",
                table: "contacts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ended_at",
                schema: "console",
                table: "contacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                schema: "console",
                table: "contacts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "advisor_events",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisor_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "advisors",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    skills = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    email_capacity = table.Column<int>(type: "integer", nullable: false),
                    call_endpoint = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contact_events",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    advisor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    offer_id = table.Column<long>(type: "bigint", nullable: true),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    wait_seconds = table.Column<double>(type: "double precision", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    destination = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "router_checkpoints",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_router_checkpoints", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_status",
                schema: "console",
                table: "contacts",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_advisor_events_advisor_id_at",
                schema: "console",
                table: "advisor_events",
                columns: new[] { "advisor_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_advisors_user_name",
                schema: "console",
                table: "advisors",
                column: "user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contact_events_at",
                schema: "console",
                table: "contact_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_contact_events_contact_id_id",
                schema: "console",
                table: "contact_events",
                columns: new[] { "contact_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "console",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                schema: "console",
                table: "outbox_messages",
                column: "id",
                filter: "sent_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "advisor_events",
                schema: "console");

            migrationBuilder.DropTable(
                name: "advisors",
                schema: "console");

            migrationBuilder.DropTable(
                name: "contact_events",
                schema: "console");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "console");

            migrationBuilder.DropTable(
                name: "router_checkpoints",
                schema: "console");

            migrationBuilder.DropIndex(
                name: "ix_contacts_status",
                schema: "console",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "advisor_id",
                schema: "console",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "ended_at",
                schema: "console",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "status",
                schema: "console",
                table: "contacts");
        }
    }
}
