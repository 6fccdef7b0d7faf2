//! Charts as PNG images for the reports. SCAFFOLD: being written (issue 6).
