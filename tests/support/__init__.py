"""What tests share: users and tokens (`users`), interviews, CVs, invites and recordings
(`sessions`), fake AI models (`providers`), fake provider servers on 127.0.0.1
(`fake_servers`, `fake_transcription`), the one way to make them the app's AI (`router`) and a
sample report for the PDF (`reports`)."""
