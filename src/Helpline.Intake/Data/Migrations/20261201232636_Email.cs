using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class Email : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "email_conversations",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    token = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sender_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_message_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_conversations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_checkpoints",
                schema: "intake",
                columns: table => new
                {
                    mailbox = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    folder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    uid_validity = table.Column<long>(type: "bigint", nullable: false),
                    last_uid = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_checkpoints", x => new { x.mailbox, x.folder });
                });

            migrationBuilder.CreateTable(
                name: "outbound_emails",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    encrypted_subject = table.Column<string>(type: "text", nullable: false),
                    encrypted_body = table.Column<string>(type: "text", nullable: false),
                    message_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    state = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_emails", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "email_messages",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    conversation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    direction = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    message_key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    sender_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    encrypted_from = table.Column<string>(type: "text", nullable: true),
                    encrypted_subject = table.Column<string>(type: "text", nullable: true),
                    encrypted_text = table.Column<string>(type: "text", nullable: true),
                    encrypted_html = table.Column<string>(type: "text", nullable: true),
                    encrypted_message_id = table.Column<string>(type: "text", nullable: true),
                    encrypted_references = table.Column<string>(type: "text", nullable: true),
                    thread_index = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    automatic = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    quarantine_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    quarantine_resolution = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    encrypted_raw = table.Column<string>(type: "text", nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    mailbox = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    folder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    uid_validity = table.Column<long>(type: "bigint", nullable: true),
                    uid = table.Column<long>(type: "bigint", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    stored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_email_messages_email_conversations_conversation_id",
                        column: x => x.conversation_id,
                        principalSchema: "intake",
                        principalTable: "email_conversations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "email_attachments",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email_id = table.Column<Guid>(type: "uuid", nullable: false),
                    encrypted_file_name = table.Column<string>(type: "text", nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    encrypted_content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_email_attachments_email_messages_email_id",
                        column: x => x.email_id,
                        principalSchema: "intake",
                        principalTable: "email_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_attachments_email_id",
                schema: "intake",
                table: "email_attachments",
                column: "email_id");

            migrationBuilder.CreateIndex(
                name: "ix_email_conversations_sender_key_created_at",
                schema: "intake",
                table: "email_conversations",
                columns: new[] { "sender_key", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_email_conversations_token",
                schema: "intake",
                table: "email_conversations",
                column: "token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_conversation_id",
                schema: "intake",
                table: "email_messages",
                column: "conversation_id");

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_message_key",
                schema: "intake",
                table: "email_messages",
                column: "message_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_sender_key_received_at",
                schema: "intake",
                table: "email_messages",
                columns: new[] { "sender_key", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_due",
                schema: "intake",
                table: "outbound_emails",
                column: "next_attempt_at",
                filter: "state = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_attachments",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "mailbox_checkpoints",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "outbound_emails",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "email_messages",
                schema: "intake");

            migrationBuilder.DropTable(
                name: "email_conversations",
                schema: "intake");
        }
    }
}
