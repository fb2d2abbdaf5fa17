/** The {@code key = value} configuration file format both programs read; unknown keys are refused with a suggestion. */
package dev.holdfast.common.config;
